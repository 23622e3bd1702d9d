/**
 * Runs `statemachine.asl.json` on a laptop with aws-local-stepfunctions: each Task state's Resource is
 * served by its local handler, every event is recorded into `<home>/executions/<id>.json` as it happens.
 */
import './polyfill';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { HistoryStore } from '../history/store';
import { summarise, type ResultPaths } from '../history/summary';
import type { ExecutionRecord } from '../history/types';
import { readDefinitionText, resultPathsOf, startingAt, substitute, withLambdaTimeouts, type AslDefinition } from './definition';
import { toHistoryEvent, type LibraryEvent } from './events';
import { localExecutionArn, localPlaceholderValues, localStateMachineArn, STATE_MACHINE_NAME, taskResourceLocalHandlers, type LocalTargets, type TaskHandler } from './local-targets';

export type RetryIntervalOverrides = Record<string, number | number[]>;

export interface LocalRunnerOptions {
  targets: LocalTargets;
  /** Local URL per queue placeholder stem: `{ Failure: '…' }` fills `${FailureQueueUrl}`. */
  queueUrls: Readonly<Record<string, string>>;
  store: HistoryStore;
  /** Milliseconds to wait before retries, by state name; production leaves this unset so the ASL's backoff is real. */
  retryIntervalOverrides?: RetryIntervalOverrides;
  /** The definition's text; the project's statemachine.asl.json by default. */
  definitionText?: string;
}

export interface ExecutionInput { bucket: string; key: string }

/** A task error as a Lambda reports it: its name (the ASL's ErrorEquals) and message, nothing attached. */
class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function asTaskHandler(handler: TaskHandler): (input: unknown) => Promise<unknown> {
  return async (input) => {
    try {
      return (await handler(input)) ?? null;
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
  readonly definition: AslDefinition;
  readonly resultPaths: ResultPaths;
  private readonly handlers: Record<string, (input: unknown) => Promise<unknown>>;
  private readonly machine: StateMachine;

  constructor(private readonly options: LocalRunnerOptions) {
    const text = options.definitionText ?? readDefinitionText();
    this.definition = withLambdaTimeouts(substitute(text, localPlaceholderValues(text, options.queueUrls)));
    this.resultPaths = resultPathsOf(this.definition);
    const handlers = taskResourceLocalHandlers(this.definition, options.targets);
    this.handlers = Object.fromEntries(Object.entries(handlers).map(([state, h]) => [state, asTaskHandler(h)]));
    this.machine = this.machineFor(this.definition);
  }

  get store(): HistoryStore {
    return this.options.store;
  }

  /** Starts a new execution and resolves with its final record (FAILED executions resolve too). */
  async start(input: ExecutionInput, name = executionNameFor(input.key, new Date())): Promise<ExecutionRecord> {
    const record: ExecutionRecord = {
      executionId: name,
      input,
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      redriveCount: 0,
      events: [],
    };
    return this.execute(record, this.machine, input);
  }

  /**
   * Runs an existing execution again from a top-level state with the given input, appending to its history
   * with the redrive count increased (see redrive.ts for which state and input).
   */
  async resume(record: ExecutionRecord, fromState: string, input: unknown): Promise<ExecutionRecord> {
    const resumed: ExecutionRecord = { ...record, status: 'RUNNING', redriveCount: record.redriveCount + 1 };
    delete resumed.stoppedAt;
    delete resumed.failure;
    // The definition was validated whole; a copy starting later leaves earlier states unreachable, which the
    // validator would refuse, so the copy skips validation.
    return this.execute(resumed, this.machineFor(startingAt(this.definition, fromState), false), input);
  }

  private machineFor(definition: AslDefinition, validate = true): StateMachine {
    // asl-validator mutates what it validates: hand the interpreter its own copy. (A JSON round trip, not
    // structuredClone: the interpreter only expands payload templates made of this realm's plain objects.)
    const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
    return new StateMachine(copy, { validationOptions: validate ? { checkArn: true, checkPaths: true } : { noValidate: true } });
  }

  private async execute(record: ExecutionRecord, machine: StateMachine, input: unknown): Promise<ExecutionRecord> {
    const writer = new RecordWriter(this.options.store, record, this.resultPaths);
    const run = machine.run(input as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: this.handlers as never,
        ...(this.options.retryIntervalOverrides ? { retryIntervalOverrides: this.options.retryIntervalOverrides } : {}),
      },
      context: {
        Execution: {
          Id: localExecutionArn(record.executionId),
          Name: record.executionId,
          StartTime: record.startedAt,
          RedriveCount: record.redriveCount,
        },
        StateMachine: { Id: localStateMachineArn(), Name: STATE_MACHINE_NAME },
      },
    });
    // Drain the event log while the execution runs, so the record on disk follows it state by state.
    for await (const event of run.eventLogs) {
      const converted = toHistoryEvent(event as LibraryEvent, record.events.length + 1, record.redriveCount);
      if (converted) {
        record.events.push(converted);
        writer.schedule();
      }
    }
    await run.result.catch(() => undefined); // a failed execution is recorded, not thrown
    await writer.flush();
    return record;
  }
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
