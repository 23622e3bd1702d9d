/**
 * The batch loader's core: many Load requests, each waiting for its task token, loaded in one warehouse session. Each
 * file is loaded exactly as Load loads one (load-file.ts: its own transaction, replace-by-file, duplicate detection,
 * lineage) and its token answered with the same manifest (SendTaskSuccess), or with its named error
 * (SendTaskFailure): one bad file fails only its own execution.
 *
 * Every token is sent a heartbeat before its file is loaded: a token nobody waits for any more (its execution timed
 * out, was stopped, or was re-driven and sent a new request) is not loaded at all, so a message delivered late cannot
 * load over a newer one. Heartbeats go on while the batch runs, so a long batch does not trip HeartbeatSeconds.
 *
 * What comes back says what to do with each message: answered (succeeded or failed) and gone messages are done with
 * (deleted); an unanswered one (its body has no token, or the answer could not be sent) is kept, and SQS delivers it
 * again (ReportBatchItemFailures), after maxReceiveCount into the load queue's own dead-letter queue.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { NonEmptyStringCodec } from '../decoding/refined';
import type { Warehouse } from '../warehouse/port';
import { TaskTokenGoneError, type TaskTokens } from '../task-tokens/port';

/** One message of the load queue: the Load state's MessageBody, JSON. */
export interface LoadMessage { id: string; body: string }

/** The Load state's MessageBody: the request's fields and the task token (`TaskToken.$: $$.Task.Token`). */
export const LoadMessageCodec = t.type({ TaskToken: NonEmptyStringCodec });

export type MessageOutcome =
  | { id: string; status: 'succeeded'; key: string }
  | { id: string; status: 'failed'; key: string; error: string }
  /** Nobody waits for the token: nothing loaded (or loaded, but the answer was refused). Done with. */
  | { id: string; status: 'gone'; key: string; reason: string }
  /** Could not be answered at all: keep the message, SQS delivers it again. */
  | { id: string; status: 'unanswered'; key: string; reason: string };

export interface BatchResult {
  outcomes: MessageOutcome[];
  /** Warehouse sessions the batch opened: one per staging bucket its files use, none when no file reached the warehouse. */
  sessions: number;
}

/** A warehouse session: what every file of a batch is loaded through, and how to end it. */
export interface Session { end(): Promise<void> }
export interface WarehouseSession extends Session { warehouse: Warehouse }

export interface BatchDependencies<S extends Session> {
  tokens: TaskTokens;
  /** Opens a session on the warehouse, reading staged objects from `bucket`: at most once per bucket and batch. */
  openSession(bucket: string): Promise<S>;
  /** Loads one request through the batch's session: Load's manifest, or a named error. */
  load(request: unknown, session: (bucket: string) => Promise<S>): Promise<unknown>;
  /** How often the batch sends heartbeats for the tokens it still holds. */
  heartbeatEveryMs: number;
}

interface Held { id: string; token: string; key: string; request: unknown }

const keyOf = (request: unknown): string => invocationKeysOf(request, 'Load').fileKey;

export async function loadBatch<S extends Session>(messages: readonly LoadMessage[], deps: BatchDependencies<S>): Promise<BatchResult> {
  const outcomes = new Map<string, MessageOutcome>();
  const settle = (outcome: MessageOutcome): void => void outcomes.set(outcome.id, outcome);
  const held: Held[] = [];
  for (const message of messages) {
    const read = readMessage(message);
    if ('reason' in read) settle({ id: message.id, status: 'unanswered', key: '', reason: read.reason });
    else held.push(read);
  }

  // Heartbeat first: only tokens somebody still waits for are loaded.
  const live: Held[] = [];
  for (const message of held) {
    const beat = await answer(() => deps.tokens.heartbeat(message.token));
    if (beat === 'sent') live.push(message);
    else settle({ id: message.id, key: message.key, ...beat });
  }

  const sessions = new Map<string, Promise<S>>();
  const sessionFor = (bucket: string): Promise<S> => {
    let session = sessions.get(bucket);
    if (!session) sessions.set(bucket, (session = deps.openSession(bucket)));
    return session;
  };
  const waiting = new Set(live);
  const beats = setInterval(() => {
    for (const message of waiting) void deps.tokens.heartbeat(message.token).catch(() => undefined);
  }, deps.heartbeatEveryMs);
  beats.unref();
  try {
    for (const message of live) {
      let result: { output: unknown } | { error: string; cause: string };
      try {
        result = { output: await deps.load(message.request, sessionFor) };
      } catch (error) {
        const { name, message: cause } = error instanceof Error ? error : { name: 'Error', message: String(error) };
        result = { error: name, cause };
      }
      const sent = await answer(() => ('output' in result ? deps.tokens.success(message.token, result.output) : deps.tokens.failure(message.token, result.error, result.cause)));
      waiting.delete(message);
      if (sent !== 'sent') settle({ id: message.id, key: message.key, ...sent });
      else settle('output' in result ? { id: message.id, status: 'succeeded', key: message.key } : { id: message.id, status: 'failed', key: message.key, error: result.error });
    }
  } finally {
    clearInterval(beats);
    await Promise.all([...sessions.values()].map((s) => s.then((session) => session.end(), () => undefined)));
  }
  const opened = (await Promise.allSettled(sessions.values())).filter((s) => s.status === 'fulfilled').length;
  return { outcomes: messages.map((m) => outcomes.get(m.id)!), sessions: opened };
}

/** The ids of the messages to keep (SQS ReportBatchItemFailures): those that could not be answered at all. */
export const unansweredIds = (result: BatchResult): string[] => result.outcomes.filter((o) => o.status === 'unanswered').map((o) => o.id);

function readMessage(message: LoadMessage): Held | { reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return { reason: 'the message body is not JSON' };
  }
  const decoded = LoadMessageCodec.decode(body);
  if (isLeft(decoded)) return { reason: 'the message body carries no TaskToken' };
  const { TaskToken: token, ...request } = body as { TaskToken: string };
  return { id: message.id, token, key: keyOf(request), request };
}

type Answered = 'sent' | { status: 'gone' | 'unanswered'; reason: string };

async function answer(send: () => Promise<void>): Promise<Answered> {
  try {
    await send();
    return 'sent';
  } catch (error) {
    if (error instanceof TaskTokenGoneError) return { status: 'gone', reason: `${error.reason}: ${error.message}` };
    return { status: 'unanswered', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
