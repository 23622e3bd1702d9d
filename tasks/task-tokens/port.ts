/**
 * The task-token port: how the batch loader answers a Load state that waits for its token
 * (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`). Step Functions' SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat in AWS (sfn.ts); in the local runner, the waiting task itself (local.ts).
 */
export interface TaskTokens {
  /** The task succeeds with `output` (a JSON value) as its result. */
  success(token: string, output: unknown): Promise<void>;
  /** The task fails with the named error: the state's Retry and the execution's failure see `error` and `cause`. */
  failure(token: string, error: string, cause: string): Promise<void>;
  /** The task is still being worked on: resets its HeartbeatSeconds clock. */
  heartbeat(token: string): Promise<void>;
}

/** Why nobody waits for a token any more, as the Step Functions API names it. */
export type TokenGoneReason = 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken';

/**
 * The token's task is over (timed out, its execution stopped, failed or already answered) or the token is not one:
 * an answer can never be delivered, so a message carrying it is done with, not retried.
 */
export class TaskTokenGoneError extends Error {
  override readonly name = 'TaskTokenGone';
  constructor(readonly reason: TokenGoneReason, message: string) {
    super(message);
  }
}

/** SendTaskFailure takes an error of at most 256 characters and a cause of at most 32,768. */
export const MAX_ERROR_CHARS = 256;
export const MAX_CAUSE_CHARS = 32_768;
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
