/**
 * The workflow file itself: valid ASL, JSONPath only, no Catch (failures stop where they happen, so a redrive re-runs
 * them), and the error names its retriers match are exactly the project's transient errors (so a renamed class
 * cannot silently escape a Retry).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import { ERROR_CLASSES, RETRYABLE_ERROR_NAMES, FATAL_ERROR_NAMES } from '../tasks/domain/errors';

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: Definition;
  [key: string]: unknown;
}
interface Definition { StartAt: string; States: Record<string, State>; QueryLanguage?: string }

const text = fs.readFileSync(path.resolve(__dirname, '../statemachine.asl.json'), 'utf8');
const definition = JSON.parse(text) as Definition;

/** Every state, with the Map it runs inside (if any). */
function allStates(def: Definition, map?: string): { name: string; state: State; map?: string }[] {
  return Object.entries(def.States).flatMap(([name, state]) => [
    { name, state, ...(map ? { map } : {}) },
    ...(state.ItemProcessor ? allStates(state.ItemProcessor, name) : []),
  ]);
}
const states = allStates(definition);
const tasks = states.filter((s) => s.state.Type === 'Task');

describe('statemachine.asl.json', () => {
  it('is valid ASL, resources and paths checked (placeholders filled as CDK would)', () => {
    const filled = JSON.parse(
      text
        .replace(/\$\{(\w+)FunctionArn\}/g, 'arn:aws:lambda:eu-west-2:123456789012:function:cafe-etl-$1')
        .replace(/\$\{(\w+)QueueUrl\}/g, 'https://sqs.eu-west-2.amazonaws.com/123456789012/cafe-etl-$1'),
    );
    // asl-validator mutates what it is given: hand it a copy.
    const result = aslValidator(structuredClone(filled), { checkArn: true, checkPaths: true });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only (the local interpreter runs no JSONata and no variables)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const { name, state } of states) {
      expect({ name, keys: Object.keys(state).filter((k) => ['Assign', 'Arguments', 'Output', 'QueryLanguage'].includes(k)) }).toEqual({ name, keys: [] });
    }
  });

  it('retries exactly the transient named errors of tasks/domain/errors.ts, and never a data error', () => {
    const matched = new Set(states.flatMap(({ state }) => (state.Retry ?? []).flatMap((r) => r.ErrorEquals)));
    const ours = [...matched].filter((e) => !/^(States|Lambda|SQS)\./.test(e)).sort();
    expect(ours).toEqual([...RETRYABLE_ERROR_NAMES].sort());
    for (const fatal of FATAL_ERROR_NAMES) expect(matched.has(fatal)).toBe(false);
    expect(ours.every((e) => ERROR_CLASSES.some((c) => c.errorName === e))).toBe(true);
    for (const { name, state } of tasks.filter((t) => t.state.Resource?.includes('FunctionArn'))) {
      const retries = state.Retry ?? [];
      // A retrier that retries nothing is noise: an error no retrier matches already fails the state at once.
      expect({ name, noOps: retries.filter((r) => r.MaxAttempts === 0) }).toEqual({ name, noOps: [] });
      const retried = retries.flatMap((r) => r.ErrorEquals);
      expect(retried).toEqual(expect.arrayContaining(['CafeEtl.StorageUnavailable', 'Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
    }
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: a redrive re-runs only the states
  // entered and never exited; a caught error exits its state, so a Catch into a Fail state would leave only the Fail
  // state to re-run. Errors therefore fail the execution at the state they happen in.
  it('has no Catch and no Fail state: an error that outlives its Retry fails the execution where it happened', () => {
    for (const { name, state } of states) {
      expect({ name, catch: state.Catch }).toEqual({ name, catch: undefined });
      expect({ name, type: state.Type }).not.toEqual({ name, type: 'Fail' });
    }
  });

  it('bounds the whole execution, so a run that hangs ends TIMED_OUT (and reaches the failure queue)', () => {
    expect((definition as unknown as { TimeoutSeconds?: number }).TimeoutSeconds).toBeGreaterThanOrEqual(900);
  });

  // aws-local-stepfunctions 3 evaluates `IsNull: false` (and the other `Is…: false` tests) as never matching, where
  // Step Functions matches a value that is not null: the ASL says `Not: { …: true }`, which both read alike.
  it('writes type tests in Choice rules as true tests (negated with Not), which the local interpreter reads as AWS does', () => {
    const rules = (rule: Record<string, unknown>): Record<string, unknown>[] =>
      [rule, ...['And', 'Or'].flatMap((k) => ((rule[k] as Record<string, unknown>[] | undefined) ?? []).flatMap(rules)), ...(rule.Not ? rules(rule.Not as Record<string, unknown>) : [])];
    const all = states.flatMap(({ state }) => ((state.Choices as Record<string, unknown>[] | undefined) ?? []).flatMap(rules));
    expect(all.length).toBeGreaterThan(0);
    for (const rule of all) for (const [k, v] of Object.entries(rule)) if (/^Is[A-Z]/.test(k)) expect({ [k]: v }).toEqual({ [k]: true });
  });

  it('skips the chunks for content Plan recognised as already loaded, straight to Load', () => {
    const choice = definition.States.AlreadyLoaded!;
    expect(definition.States.Plan!.Next).toBe('AlreadyLoaded');
    expect(choice).toMatchObject({ Type: 'Choice', Default: 'Chunks', Choices: [{ Not: { Variable: '$.plan.duplicateOf', IsNull: true }, Next: 'NoChunks' }] });
    expect(definition.States.NoChunks).toMatchObject({ Type: 'Pass', Result: [], ResultPath: '$.chunks', Next: 'Load' });
  });

  it('has a handler module for every Lambda Task, named after its state', () => {
    for (const { name, state } of tasks.filter((t) => t.state.Resource?.includes('FunctionArn'))) {
      expect(state.Resource).toBe(`\${${name}FunctionArn}`);
      expect(fs.existsSync(path.resolve(__dirname, `../tasks/${name.toLowerCase()}/handler.ts`))).toBe(true);
    }
  });

  // The callback pattern: "the task token must be passed … in the message", and the task waits until SendTaskSuccess or
  // SendTaskFailure names it (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token,
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html). HeartbeatSeconds and TimeoutSeconds bound
  // the wait, so a lost token fails the execution at Load (States.HeartbeatTimeout / States.Timeout) instead of
  // waiting up to a year (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
  it('Load sends its request with its task token to the load queue and waits, bounded by a heartbeat and a timeout', () => {
    const load = definition.States.Load!;
    expect(load.Resource).toBe('arn:aws:states:::sqs:sendMessage.waitForTaskToken');
    expect(load.Parameters).toEqual({
      QueueUrl: '${LoadQueueUrl}',
      MessageBody: {
        'file.$': '$.plan.file',
        'chunks.$': '$.chunks',
        'sourceEtag.$': '$.plan.sourceEtag',
        'duplicateOf.$': '$.plan.duplicateOf',
        'executionId.$': '$$.Execution.Id',
        'TaskToken.$': '$$.Task.Token',
      },
    });
    expect(load.ResultPath).toBe('$.load');
    const heartbeat = load.HeartbeatSeconds as number;
    const timeout = load.TimeoutSeconds as number;
    // Longer than the longest batching window SQS allows (300 s), so a request waiting for its batch is not cut off;
    // the loader heartbeats every minute once it holds the message.
    expect(heartbeat).toBeGreaterThan(300);
    expect(timeout).toBeGreaterThan(heartbeat);
    expect(timeout).toBeLessThan((definition as unknown as { TimeoutSeconds: number }).TimeoutSeconds);
    // A lost token is not retried: it fails the execution at Load, and so reaches the failure queue.
    const retried = (load.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried).not.toContain('States.HeartbeatTimeout');
    expect(retried).not.toContain('States.Timeout');
    expect(retried).toEqual(expect.arrayContaining(['CafeEtl.WarehouseUnavailable', 'CafeEtl.StorageUnavailable']));
  });

  it('runs the chunks as a distributed Map over the plan\'s ranges', () => {
    const chunks = definition.States.Chunks!;
    expect(chunks.Type).toBe('Map');
    expect((chunks.ItemProcessor as unknown as { ProcessorConfig: { Mode: string } }).ProcessorConfig.Mode).toBe('DISTRIBUTED');
    expect(chunks.ItemsPath).toBe('$.plan.chunks');
  });
});
