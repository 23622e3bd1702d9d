/**
 * Runs `statemachine.asl.json` on a laptop with aws-local-stepfunctions: each Task state's Resource is
 * served by its local handler, every event is recorded into `<home>/executions/<id>.json` as it happens.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { interpreterLibrary, type StateMachine, type StateMachineDefinition } from './interpreter';
import type { HistoryStore, StopReason } from '../history/store';
import { summarise, type ResultPaths } from '../history/summary';
import { succeededIterations } from '../history/fold';
import type { ExecutionRecord, HistoryEvent } from '../history/types';
import { readDefinitionText, resultPathsOf, startingAt, substitute, withCallbackTokens, withLambdaTimeouts, type AslDefinition } from './definition';
import { isDistributedMap, runDistributedMap, standInTask } from './distributed-map';
import { toHistoryEvent, type LibraryEvent } from './events';
import { statusChangeEventOf, type EventBus } from './local-event-bus';
import { HEARTBEAT_MS } from './orphans';
import { currentProcess } from '../../tasks/warehouse/embedded/process-identity';
import { localExecutionArn, localPlaceholderValues, localStateMachineArn, STATE_MACHINE_NAME, taskResourceLocalHandlers, type LocalTargets, type RunTaskHandler, type TaskRun } from './local-targets';
import { TaskError } from './task-error';
import { definitionDigest, type ValidatedDefinitions } from './validated-definitions';

export type RetryIntervalOverrides = Record<string, number | number[]>;

export interface LocalRunnerOptions {
  targets: LocalTargets;
  /** Local URL per queue placeholder stem: `{ Load: '…' }` fills `${LoadQueueUrl}` (LocalTarget gives `Load` its load queue). */
  queueUrls?: Readonly<Record<string, string>>;
  store: HistoryStore;
  /** Where the executions' status changes go (EventBridge's default bus in AWS): the failure rule feeds the DLQ. */
  bus: EventBus;
  /** Milliseconds to wait before retries, by state name; production leaves this unset so the ASL's backoff is real. */
  retryIntervalOverrides?: RetryIntervalOverrides;
  /** The definition's text; the project's statemachine.asl.json by default. */
  definitionText?: string;
  /** Definitions validated before (validated-definitions.ts); without it, each runner validates once. */
  validated?: ValidatedDefinitions;
}

export interface ExecutionInput { bucket: string; key: string }

function asTaskHandler(handler: RunTaskHandler): RunTaskHandler {
  return async (input, run) => {
    try {
      return (await handler(input, run)) ?? null;
    } catch (error) {
      if (error instanceof Error) throw new TaskError(error.name, error.message);
      throw new TaskError('Error', String(error));
    }
  };
}

/** A readable, file-safe execution name: the file's stem, the UTC start time, a few random hex digits. */
export function executionNameFor(key: string, now: Date): string {
  const stem = path.posix.basename(key).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stem}-${stamp}-${randomBytes(3).toString('hex')}`;
}


export class LocalRunner {
  /** The definition as written (placeholders filled): what the history, the console and redrive speak of. */
  readonly definition: AslDefinition;
  readonly resultPaths: ResultPaths;
  /** What the interpreter runs: each Distributed Map replaced by a Task that runs it as AWS does. */
  private readonly localDefinition: AslDefinition;
  private readonly handlers: Record<string, RunTaskHandler>;
  private readonly running = new Map<string, (reason: StopReason) => void>();
  private validated = false;

  constructor(private readonly options: LocalRunnerOptions) {
    const text = options.definitionText ?? readDefinitionText();
    this.definition = substitute(text, localPlaceholderValues(text, options.queueUrls ?? {}));
    this.resultPaths = resultPathsOf(this.definition);
    const handlers = taskResourceLocalHandlers(this.definition, options.targets);
    this.handlers = Object.fromEntries(Object.entries(handlers).map(([state, h]) => [state, asTaskHandler(h)]));
    this.localDefinition = withLambdaTimeouts(withCallbackTokens(withMapStandIns(this.definition)));
  }

  get store(): HistoryStore {
    return this.options.store;
  }

  /** Starts a new execution and resolves with its final record (unsuccessful executions resolve too). */
  async start(input: ExecutionInput, name = executionNameFor(input.key, new Date())): Promise<ExecutionRecord> {
    const record: ExecutionRecord = {
      executionId: name,
      input,
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      redriveCount: 0,
      events: [],
    };
    return this.execute(record, this.localDefinition, input);
  }

  /**
   * Runs an unsuccessful execution again from a top-level state with the given input, appending to its history
   * with the redrive count increased (see redrive.ts for which state and input).
   */
  async resume(record: ExecutionRecord, fromState: string, input: unknown): Promise<ExecutionRecord> {
    const resumed: ExecutionRecord = { ...record, status: 'RUNNING', redriveCount: record.redriveCount + 1 };
    delete resumed.stoppedAt;
    delete resumed.failure;
    return this.execute(resumed, startingAt(this.localDefinition, fromState), input);
  }

  /** Aborts an execution this runner is running (StopExecution); false when it runs none by that name. */
  stop(executionId: string, reason: StopReason = {}): boolean {
    const abort = this.running.get(executionId);
    abort?.(reason);
    return abort !== undefined;
  }

  private async execute(record: ExecutionRecord, definition: AslDefinition, input: unknown): Promise<ExecutionRecord> {
    // Validate the definition as written before the first execution (not on construction: a runner that only reads
    // the history never loads the interpreter), unless this text was validated before, as AWS validates a definition
    // once when it is deployed; the local copy (stand-in Tasks) is not the deployed one.
    if (!this.validated) {
      const { validated } = this.options;
      const digest = validated ? definitionDigest(this.definition) : '';
      if (!validated?.has(digest)) {
        void interpreterFor(this.definition, true);
        validated?.add(digest);
      }
      this.validated = true;
    }
    const writer = new RecordWriter(this.options.store, record, this.resultPaths);
    const append = (event: Omit<HistoryEvent, 'id' | 'redriveCount'>): void => {
      record.events.push({ ...event, id: record.events.length + 1, redriveCount: record.redriveCount } as HistoryEvent);
      writer.schedule();
    };
    const context = {
      Execution: {
        Id: localExecutionArn(record.executionId),
        Name: record.executionId,
        StartTime: record.startedAt,
        RedriveCount: record.redriveCount,
      },
      StateMachine: { Id: localStateMachineArn(), Name: STATE_MACHINE_NAME },
    };
    let stopReason: StopReason | undefined;
    const stopped = (): boolean => stopReason !== undefined || record.events.some((e) => e.redriveCount === record.redriveCount && e.type === 'ExecutionTimedOut');
    // The handlers of this execution: a task that waits for a token waits on behalf of this execution.
    const taskRun: TaskRun = { executionId: record.executionId };
    const handlers = Object.fromEntries(Object.entries(this.handlers).map(([state, h]) => [state, (input: unknown) => h(input, taskRun)]));
    const mapHandlers = Object.fromEntries(
      Object.entries(this.definition.States).filter(([, state]) => isDistributedMap(state)).map(([mapState, state]) => [
        mapState,
        (payload: unknown) => runDistributedMap({
          mapState,
          state,
          handlers,
          ...(this.options.retryIntervalOverrides ? { retryIntervalOverrides: this.options.retryIntervalOverrides } : {}),
          context,
          succeeded: succeededIterations(record.events, mapState),
          emit: append,
          stopped,
        }, payload),
      ]),
    );
    const me = currentProcess();
    const renewLease = () => this.options.store.writeLease(record.executionId, { ...me, heartbeatAt: new Date().toISOString() });
    await renewLease();
    const run = interpreterFor(definition, false).run(input as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: { ...handlers, ...mapHandlers } as never,
        ...(this.options.retryIntervalOverrides ? { retryIntervalOverrides: this.options.retryIntervalOverrides } : {}),
      },
      context,
      noThrowOnAbort: true,
    });
    const settled = run.result.catch(() => undefined); // an unsuccessful execution is recorded, not thrown
    const abort = (reason: StopReason): void => {
      stopReason ??= reason;
      run.abort();
    };
    this.running.set(record.executionId, abort);
    // `cafe-etl stop` from another process leaves a request beside the record: look for it while running. The lease
    // (written before the run starts) says which process runs the execution, so another process can tell a run whose
    // process died (orphans.ts).
    let lastBeat = Date.now();
    const watchStop = setInterval(() => {
      void this.options.store.takeStopRequest(record.executionId).then((reason) => reason && abort(reason), () => undefined);
      if (Date.now() - lastBeat >= HEARTBEAT_MS) {
        lastBeat = Date.now();
        void renewLease().catch(() => undefined);
      }
    }, STOP_POLL_MS);
    watchStop.unref(); // a run that never ends (a hung task) must not keep the process alive by itself
    try {
      // Drain the event log while the execution runs, so the record on disk follows it state by state.
      for await (const event of run.eventLogs) {
        const converted = toHistoryEvent(event as LibraryEvent, 0, record.redriveCount);
        if (!converted) continue;
        const { id: _id, redriveCount: _redriveCount, ...rest } = converted;
        append(rest.type === 'ExecutionAborted' && stopReason ? { ...rest, ...withoutEmpty(stopReason) } : rest);
      }
      await settled;
    } finally {
      clearInterval(watchStop);
      this.running.delete(record.executionId);
      // A token this execution still waited on (it was stopped, or timed out) is gone: its answer is refused.
      this.options.targets.taskTokens?.cancelOwner(record.executionId, new Error('the execution has ended'));
    }
    await writer.flush();
    await this.options.store.removeLease(record.executionId);
    await this.options.bus.publish(statusChangeEventOf(record, context.Execution.Id, context.StateMachine.Id));
    return record;
  }
}

const STOP_POLL_MS = 250;

const withoutEmpty = (reason: StopReason): StopReason => ({
  ...(reason.error ? { error: reason.error } : {}),
  ...(reason.cause ? { cause: reason.cause } : {}),
});

/** The definition with each Distributed Map replaced by its stand-in Task (distributed-map.ts). */
function withMapStandIns(definition: AslDefinition): AslDefinition {
  const states = Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => [name, isDistributedMap(state) ? standInTask(name, state) : state]),
  );
  return { ...definition, States: states };
}

function interpreterFor(definition: AslDefinition, validate: boolean): StateMachine {
  // asl-validator mutates what it validates: hand the interpreter its own copy. (A JSON round trip, not
  // structuredClone: the interpreter only expands payload templates made of this realm's plain objects.)
  // A copy that starts later (a redrive) leaves earlier states unreachable, which the validator would refuse.
  const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
  return new (interpreterLibrary().StateMachine)(copy, { validationOptions: validate ? { checkArn: true, checkPaths: true } : { noValidate: true } });
}

/** Persists a record after events arrive, coalescing bursts into one write at a time. */
class RecordWriter {
  private dirty = false;
  private running: Promise<void> | undefined;

  constructor(private readonly store: HistoryStore, private readonly record: ExecutionRecord, private readonly resultPaths: ResultPaths) {}

  schedule(): void {
    this.dirty = true;
    this.running ??= this.loop();
  }

  async flush(): Promise<void> {
    this.schedule();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      Object.assign(this.record, summarise(this.record.events, this.resultPaths));
      await this.store.write(this.record);
    }
    this.running = undefined;
  }
}
