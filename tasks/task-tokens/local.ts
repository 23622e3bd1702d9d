/**
 * Task tokens on a laptop: the local runner's waiting Load registers its token here and awaits it; the in-process
 * batch loader answers through the same TaskTokens port as SendTask* in AWS. The waiting task enforces the state's
 * TimeoutSeconds and HeartbeatSeconds as Step Functions does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token): no answer within
 * TimeoutSeconds fails it with States.Timeout, no heartbeat (or answer) within HeartbeatSeconds of the task's start
 * or of the last heartbeat with States.HeartbeatTimeout. Once a task is over, its token is gone: an answer to it is
 * refused with TaskTimedOut, as SendTaskSuccess refuses one.
 */
import { randomBytes } from 'node:crypto';
import { clip, MAX_CAUSE_CHARS, MAX_ERROR_CHARS, TaskTokenGoneError, type TaskTokens } from './port';

export interface TokenTiming {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** A task's failure as the state sees it: the error name its Retry matches, and the cause. */
export class TaskFailedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Waiter {
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeat(): void;
  owner: string;
}

const ENDED_KEPT = 10_000;

export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, Waiter>();
  private readonly ended = new Set<string>();

  /** A new token, unguessable like Step Functions' own. */
  static newToken(): string {
    return `local-task-token-${randomBytes(24).toString('base64url')}`;
  }

  /**
   * Registers `token` for a task of `owner` (an execution) and resolves with the output it is answered with, or
   * rejects with the error it is failed with, or with States.Timeout / States.HeartbeatTimeout.
   */
  wait(token: string, owner: string, timing: TokenTiming): Promise<unknown> {
    if (this.waiting.has(token) || this.ended.has(token)) throw new Error(`task token issued twice`);
    return new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let heartbeatTimer: NodeJS.Timeout | undefined;
      const end = (): void => {
        for (const timer of timers) clearTimeout(timer);
        if (heartbeatTimer) clearTimeout(heartbeatTimer);
        this.waiting.delete(token);
        this.ended.add(token);
        // Remembered only to tell an answer too late from a token never issued: the newest few thousand will do.
        if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
      };
      const armHeartbeat = (): void => {
        if (timing.heartbeatSeconds === undefined) return;
        if (heartbeatTimer) clearTimeout(heartbeatTimer);
        heartbeatTimer = setTimeout(() => {
          end();
          reject(new TaskFailedError('States.HeartbeatTimeout', `no heartbeat or answer for the task token within HeartbeatSeconds (${timing.heartbeatSeconds} s)`));
        }, timing.heartbeatSeconds * 1000);
      };
      if (timing.timeoutSeconds !== undefined) {
        timers.push(setTimeout(() => {
          end();
          reject(new TaskFailedError('States.Timeout', `no answer for the task token within TimeoutSeconds (${timing.timeoutSeconds} s)`));
        }, timing.timeoutSeconds * 1000));
      }
      armHeartbeat();
      this.waiting.set(token, {
        owner,
        resolve: (output) => { end(); resolve(output); },
        reject: (error) => { end(); reject(error); },
        heartbeat: armHeartbeat,
      });
    });
  }

  /** Ends the task of one token (its message could not be sent): it fails with `why`. */
  cancel(token: string, why: Error): void {
    this.waiting.get(token)?.reject(why);
  }

  /** Ends every task `owner` waits in (its execution stopped): their tokens are gone, nobody is answered. */
  cancelOwner(owner: string, why: Error): void {
    for (const waiter of [...this.waiting.values()].filter((w) => w.owner === owner)) waiter.reject(why);
  }

  /** Tokens still waited for. */
  get pending(): number {
    return this.waiting.size;
  }

  async success(token: string, output: unknown): Promise<void> {
    // As Step Functions does, the output travels as JSON: what is not JSON does not arrive.
    this.waiter(token).resolve(JSON.parse(JSON.stringify(output ?? null)) as unknown);
  }

  async failure(token: string, error: string, cause: string): Promise<void> {
    this.waiter(token).reject(new TaskFailedError(clip(error, MAX_ERROR_CHARS), clip(cause, MAX_CAUSE_CHARS)));
  }

  async heartbeat(token: string): Promise<void> {
    this.waiter(token).heartbeat();
  }

  private waiter(token: string): Waiter {
    const waiter = this.waiting.get(token);
    if (waiter) return waiter;
    if (this.ended.has(token)) throw new TaskTokenGoneError('TaskTimedOut', 'the task of this token is over (answered, timed out or its execution stopped)');
    throw new TaskTokenGoneError('InvalidToken', 'not a task token this runner issued');
  }
}
