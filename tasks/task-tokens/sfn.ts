/**
 * Task tokens answered through Step Functions: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token). A token whose
 * task is over comes back as TaskTimedOut (or TaskDoesNotExist, InvalidToken): TaskTokenGoneError.
 */
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { clip, MAX_CAUSE_CHARS, MAX_ERROR_CHARS, TaskTokenGoneError, type TaskTokens, type TokenGoneReason } from './port';

const GONE = new Set<string>(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient) {}

  success(token: string, output: unknown): Promise<void> {
    return this.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  }

  failure(token: string, error: string, cause: string): Promise<void> {
    return this.send(new SendTaskFailureCommand({ taskToken: token, error: clip(error, MAX_ERROR_CHARS), cause: clip(cause, MAX_CAUSE_CHARS) }));
  }

  heartbeat(token: string): Promise<void> {
    return this.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  }

  private async send(command: SendTaskSuccessCommand | SendTaskFailureCommand | SendTaskHeartbeatCommand): Promise<void> {
    try {
      await this.client.send(command as SendTaskSuccessCommand);
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && GONE.has(name)) throw new TaskTokenGoneError(name as TokenGoneReason, (error as Error).message);
      throw error;
    }
  }
}
