/**
 * The local runner's task tokens behave as Step Functions' do
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token): an answer ends the
 * wait, a heartbeat restarts the HeartbeatSeconds clock, and a token whose task is over refuses any answer
 * (TaskTimedOut), as one never issued does (InvalidToken).
 */
import { LocalTaskTokens } from '../../../tasks/task-tokens/local';

describe('LocalTaskTokens', () => {
  it('resolves with the output it is answered with, as JSON travels, and then refuses another answer', async () => {
    const tokens = new LocalTaskTokens();
    const token = LocalTaskTokens.newToken();
    const waiting = tokens.wait(token, 'exec-1', { timeoutSeconds: 5 });
    await tokens.success(token, { status: 'loaded', when: undefined });
    await expect(waiting).resolves.toEqual({ status: 'loaded' });
    await expect(tokens.success(token, {})).rejects.toMatchObject({ name: 'TaskTokenGone', reason: 'TaskTimedOut' });
    await expect(tokens.heartbeat('never-issued')).rejects.toMatchObject({ reason: 'InvalidToken' });
    expect(tokens.pending).toBe(0);
  });

  it('fails with the error it is failed with', async () => {
    const tokens = new LocalTaskTokens();
    const waiting = tokens.wait('t', 'exec-1', {});
    await tokens.failure('t', 'CafeEtl.NotCafeExport', 'no row decodes');
    await expect(waiting).rejects.toMatchObject({ name: 'CafeEtl.NotCafeExport', message: 'no row decodes' });
  });

  it('fails with States.HeartbeatTimeout without heartbeats, and heartbeats keep it waiting', async () => {
    const tokens = new LocalTaskTokens();
    const silent = tokens.wait('silent', 'e', { heartbeatSeconds: 0.2 });
    await expect(silent).rejects.toMatchObject({ name: 'States.HeartbeatTimeout' });
    const kept = tokens.wait('kept', 'e', { heartbeatSeconds: 0.2, timeoutSeconds: 0.7 });
    const beating = setInterval(() => void tokens.heartbeat('kept').catch(() => undefined), 50);
    // Heartbeats do not extend TimeoutSeconds.
    await expect(kept).rejects.toMatchObject({ name: 'States.Timeout' });
    clearInterval(beating);
  });

  it('ends every wait of an execution that stopped', async () => {
    const tokens = new LocalTaskTokens();
    const waiting = tokens.wait('a', 'stopped', {});
    tokens.cancelOwner('stopped', new Error('the execution has ended'));
    await expect(waiting).rejects.toThrow('the execution has ended');
    await expect(tokens.success('a', {})).rejects.toMatchObject({ reason: 'TaskTimedOut' });
  });
});
