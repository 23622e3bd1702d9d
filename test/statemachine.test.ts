/**
 * The workflow file itself: valid ASL, JSONPath only, every Task retried and caught, and the error names it
 * matches are exactly the project's named errors (so a renamed class cannot silently escape a Retry or Catch).
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
        .replace('${FailureQueueUrl}', 'https://sqs.eu-west-2.amazonaws.com/123456789012/failures'),
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

  it('matches exactly the named errors of tasks/domain/errors.ts, transient ones retried, data errors not', () => {
    const matched = new Set(
      states.flatMap(({ state }) => [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((r) => r.ErrorEquals)),
    );
    const ours = [...matched].filter((e) => !e.startsWith('States.') && !e.startsWith('Lambda.')).sort();
    expect(ours).toEqual(ERROR_CLASSES.map((c) => c.errorName).sort());
    for (const { name, state } of tasks.filter((t) => t.state.Resource?.includes('FunctionArn'))) {
      const retries = state.Retry ?? [];
      const noRetry = retries.find((r) => r.MaxAttempts === 0);
      expect({ name, fatal: [...(noRetry?.ErrorEquals ?? [])].sort() }).toEqual({ name, fatal: [...FATAL_ERROR_NAMES].sort() });
      // The fatal rule comes first: Step Functions uses the first retrier that matches.
      expect(retries.indexOf(noRetry!)).toBe(0);
      const retried = retries.filter((r) => (r.MaxAttempts ?? 3) > 0).flatMap((r) => r.ErrorEquals);
      expect(retried.some((e) => (RETRYABLE_ERROR_NAMES as readonly string[]).includes(e))).toBe(true);
    }
  });

  it('catches every Task (its own Catch, or its Map\'s) into the dead-letter path, which ends failed', () => {
    for (const { name, state, map } of tasks) {
      const catcher = state.Catch ?? (map ? definition.States[map]!.Catch : undefined);
      expect({ name, catches: catcher?.some((c) => c.ErrorEquals.includes('States.ALL')) }).toEqual({ name, catches: true });
    }
    const top = definition.States;
    for (const [name, state] of Object.entries(top)) {
      for (const c of state.Catch ?? []) {
        if (name === 'RecordFailure') continue;
        expect(top[c.Next]!.Type).toBe('Pass');
        expect(top[c.Next]!.Next).toBe('RecordFailure');
      }
    }
    expect(top.RecordFailure!.Resource).toBe('arn:aws:states:::sqs:sendMessage');
    expect(top.RecordFailure!.Next).toBe('Failed');
    expect(top.Failed!.Type).toBe('Fail');
  });

  it('has a handler module for every Lambda Task, named after its state', () => {
    for (const { name, state } of tasks.filter((t) => t.state.Resource?.includes('FunctionArn'))) {
      expect(state.Resource).toBe(`\${${name}FunctionArn}`);
      expect(fs.existsSync(path.resolve(__dirname, `../tasks/${name.toLowerCase()}/handler.ts`))).toBe(true);
    }
  });

  it('runs the chunks as a distributed Map over the plan\'s ranges', () => {
    const chunks = definition.States.Chunks!;
    expect(chunks.Type).toBe('Map');
    expect((chunks.ItemProcessor as unknown as { ProcessorConfig: { Mode: string } }).ProcessorConfig.Mode).toBe('DISTRIBUTED');
    expect(chunks.ItemsPath).toBe('$.plan.chunks');
  });
});
