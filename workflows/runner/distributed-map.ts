/**
 * A Distributed Map state run on a laptop the way Step Functions runs it, which aws-local-stepfunctions does not do
 * (it runs every Map inline and fails it with the iteration's own error):
 * - each item is a child workflow execution of the ItemProcessor, with at most MaxConcurrency running at once;
 * - the Map Run fails, and so the Map state, with `States.ExceedToleratedFailureThreshold` once more items fail than
 *   ToleratedFailureCount/Percentage allow (default: none), after which no new item starts
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html); the failed child's error and
 *   cause stay in its own events and are named in the Map's cause;
 * - a redriven Map re-runs only the items that did not succeed in an earlier attempt, keeping the results of those
 *   that did (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
 * In the local definition the Map is replaced by a Task whose handler is `runDistributedMap`, so the interpreter still
 * applies the Map's own ResultSelector, ResultPath, OutputPath and Next.
 */
import { interpreterLibrary, type StateMachine, type StateMachineDefinition } from './interpreter';
import type { HistoryEvent } from '../history/types';
import type { AslDefinition, AslState } from './definition';
import { toHistoryEvent, type LibraryEvent } from './events';
import { TaskError } from './task-error';

export const MAP_RUN_FAILED = 'States.ExceedToleratedFailureThreshold';
/** The stand-in Task's timeout: a Map state has none of its own (the execution's TimeoutSeconds bounds it). Node's
 * timers hold at most 2^31 ms, so not more than that. */
const NO_TIMEOUT_SECONDS = 2_000_000;
const DEFAULT_MAX_CONCURRENCY = 40;

export const isDistributedMap = (state: AslState): boolean =>
  state.Type === 'Map' && (state.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined)?.Mode === 'DISTRIBUTED';

/** The resource of the Task that stands in for a Distributed Map in the local definition (never sent anywhere). */
export const localMapResource = (mapState: string): string => `arn:aws:states:::local:distributedMap:${mapState}`;

/** The Task that stands in for the Map: it hands the handler the items and the Map's effective input. */
export function standInTask(mapState: string, state: AslState): AslState {
  for (const unsupported of ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'MaxConcurrencyPath']) {
    if (state[unsupported] !== undefined) throw new Error(`Map state '${mapState}': ${unsupported} is not supported by the local runner`);
  }
  const kept = ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Next', 'End', 'Retry', 'Catch'];
  return {
    Type: 'Task',
    Resource: localMapResource(mapState),
    Parameters: { 'items.$': state.ItemsPath ?? '$', 'input.$': '$' },
    TimeoutSeconds: NO_TIMEOUT_SECONDS,
    ...Object.fromEntries(kept.filter((k) => state[k] !== undefined).map((k) => [k, state[k]])),
  };
}

export interface MapRunContext {
  /** The Map state's name and definition (from the original ASL). */
  mapState: string;
  state: AslState;
  /** Task handlers by state name, for the states inside the ItemProcessor. */
  handlers: Record<string, (input: unknown) => Promise<unknown>>;
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** The execution's context object, for `$$.` paths in the ItemSelector. */
  context: Record<string, unknown>;
  /** Outputs of the items that succeeded in an earlier attempt, by index: not run again. */
  succeeded: ReadonlyMap<number, unknown>;
  /** Appends an event to the execution's history. */
  emit(event: Omit<HistoryEvent, 'id' | 'redriveCount'>): void;
  /** True once the execution has stopped (timed out, aborted): start no more items. */
  stopped(): boolean;
}

/** Runs the Map Run; resolves with every item's output in item order, or throws the Map Run's failure. */
export async function runDistributedMap(run: MapRunContext, payload: unknown): Promise<unknown[]> {
  const { items, input } = payload as { items?: unknown; input?: unknown };
  if (!Array.isArray(items)) throw new TaskError('States.Runtime', `Map state '${run.mapState}': ItemsPath does not point to an array`);
  const processor = run.state.ItemProcessor as AslDefinition;
  const machine = new (interpreterLibrary().StateMachine)(processor as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const tolerated = toleratedFailures(run.state, items.length);
  const results: unknown[] = items.map((_, i) => run.succeeded.get(i));
  const pending = items.map((_, i) => i).filter((i) => !run.succeeded.has(i));
  const failures: { index: number; error: string; cause: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length && failures.length <= tolerated && !run.stopped()) {
      const index = pending[next++]!;
      const itemInput = await selectItem(run, input, items[index], index);
      const outcome = await runItem(run, machine, itemInput, index);
      if ('error' in outcome) failures.push({ index, ...outcome });
      else results[index] = outcome.output;
    }
  };
  const limit = Math.max(1, Math.min((run.state.MaxConcurrency as number | undefined) || DEFAULT_MAX_CONCURRENCY, pending.length));
  await Promise.all(Array.from({ length: limit }, worker));
  if (failures.length > tolerated) {
    const first = failures.sort((a, b) => a.index - b.index)[0]!;
    throw new TaskError(MAP_RUN_FAILED,
      `The specified tolerated failure threshold was exceeded: ${failures.length} of ${items.length} items failed; ` +
      `item ${first.index} failed with ${first.error}: ${first.cause}`);
  }
  return results;
}

/** How many failed items the Map Run tolerates (ToleratedFailureCount and ToleratedFailurePercentage; both 0 by default). */
function toleratedFailures(state: AslState, total: number): number {
  const count = typeof state.ToleratedFailureCount === 'number' ? state.ToleratedFailureCount : undefined;
  const percentage = typeof state.ToleratedFailurePercentage === 'number' ? state.ToleratedFailurePercentage : undefined;
  if (count === undefined && percentage === undefined) return 0;
  const byPercentage = percentage === undefined ? Infinity : Math.floor((percentage / 100) * total);
  return Math.min(count ?? Infinity, byPercentage);
}

/** The item's input: the ItemSelector evaluated by the interpreter itself, in a one-state machine with `$$.Map.Item` set. */
async function selectItem(run: MapRunContext, input: unknown, item: unknown, index: number): Promise<unknown> {
  const selector = run.state.ItemSelector ?? run.state.Parameters;
  if (selector === undefined) return item;
  const select = new (interpreterLibrary().StateMachine)(
    { StartAt: 'Select', States: { Select: { Type: 'Pass', Parameters: selector, End: true } } } as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  const context = { ...run.context, Map: { Item: { Index: index, Value: item } } };
  return select.run(input as never, { context } as never).result;
}

/** One child workflow execution; its events go into the parent's history as the Map's iteration `index`. */
async function runItem(run: MapRunContext, machine: StateMachine, input: unknown, index: number): Promise<{ output: unknown } | { error: string; cause: string }> {
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: run.handlers as never,
      ...(run.retryIntervalOverrides ? { retryIntervalOverrides: run.retryIntervalOverrides } : {}),
    },
    context: run.context,
  } as never);
  for await (const raw of execution.eventLogs) {
    const event = toHistoryEvent(raw as LibraryEvent, 0, 0);
    if (!event) continue;
    const { id: _id, redriveCount: _rc, ...rest } = event;
    if (rest.type === 'ExecutionStarted') run.emit({ ...rest, type: 'MapIterationStarted', state: run.mapState, mapIndex: index });
    else if (rest.type === 'ExecutionSucceeded') run.emit({ ...rest, type: 'MapIterationSucceeded', state: run.mapState, mapIndex: index });
    else if (rest.type === 'ExecutionFailed' || rest.type === 'ExecutionTimedOut') run.emit({ ...rest, type: 'MapIterationFailed', state: run.mapState, mapIndex: index });
    else if (!rest.type.startsWith('Execution')) run.emit({ ...rest, mapIndex: index });
  }
  try {
    return { output: await execution.result };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const failure = cause instanceof Error ? cause : (error as Error);
    return { error: failure.name, cause: failure.message };
  }
}
