/**
 * The failure queue as the data team works it, the same for the local and the AWS target (over the Queue port and
 * the target's executions): one entry per execution, with what it is now, and a redrive that loses nothing.
 * - A message is deleted only when its execution has SUCCEEDED (re-driven now or before), when a later execution of
 *   the same bucket and key succeeded (a corrected upload supersedes it), or when the user discards it.
 * - A data error (the file is not a cafe export, or not valid input) is not re-driven: the file must be corrected
 *   and uploaded again; its message stays until then, or until `--discard`.
 * - Every other message stays, visible again at once, with the reason it was kept.
 */
import type { PeekedMessage, Queue, QueueMessage } from '../../tasks/queue/port';
import { DuplicateGoneError } from '../../tasks/domain/errors';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { dataErrorOf } from './data-errors';
import { readFailureMessage, type ExecutionInput, type FailureMessage } from './failure-message';

/** What the dead letters need of a target. */
export interface DeadLetterTarget {
  readonly failureQueue: Queue;
  describe(executionId: string): Promise<ExecutionRecord | undefined>;
  redrive(executionId: string): Promise<ExecutionRecord>;
  /** An execution of the same file started after `after` (ISO time) that SUCCEEDED, if any. */
  succeededLater(input: ExecutionInput, after: string): Promise<string | undefined>;
}

export type Verdict = 'redrivable' | 'data-error' | 'superseded' | 'succeeded' | 'running' | 'unknown-execution';

export interface DeadLetterEntry {
  executionArn: string;
  name: string;
  /** The newest of the execution's messages (a redrive that failed again left another). */
  message: FailureMessage;
  messageIds: string[];
  sentAt?: string;
  /** The execution's status now, and where it stopped, when the target still knows it. */
  statusNow?: ExecutionStatus;
  failedState?: string;
  verdict: Verdict;
  dataError?: string;
  supersededBy?: string;
}

export interface ForeignMessage { messageId: string; body: string; problem: string }

export interface DeadLetterList { entries: DeadLetterEntry[]; foreign: ForeignMessage[] }

export type RedriveAction = 'redriven' | 'already-succeeded' | 'superseded' | 'discarded' | 'kept';

export interface RedriveResult {
  executions: { executionArn: string; name: string; action: RedriveAction; status?: ExecutionStatus; reason?: string }[];
  foreign: ForeignMessage[];
}

/** At most this many messages are looked at or taken in one go. */
const MAX_MESSAGES = 1000;

export const dataErrorAdvice = (error: string): string =>
  `${error}: ${error === DuplicateGoneError.errorName ? 'nothing of the file was extracted' : 'the file itself is wrong'}, so a redrive would fail the same way; ` +
  `${error === DuplicateGoneError.errorName ? 'upload it again' : 'correct it and upload it again'} (its message is deleted once that upload succeeds), or discard the message with \`dlq redrive --discard ID\``;

export class DeadLetters {
  constructor(private readonly target: DeadLetterTarget) {}

  async list(): Promise<DeadLetterList> {
    const { groups, foreign } = groupByExecution(await this.target.failureQueue.peek(MAX_MESSAGES));
    const entries = await Promise.all(groups.map(async (group) => this.judge(group)));
    return { entries: entries.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? '')), foreign };
  }

  /** Re-drives what can be re-driven; `discard` names executions (ARN or name) whose messages are given up. */
  async redrive(discard: readonly string[] = []): Promise<RedriveResult> {
    const queue = this.target.failureQueue;
    // Take every visible message first, so the message a redrive that fails again adds is left for the next run.
    const received: QueueMessage[] = [];
    for (let batch = await queue.receive(10); batch.length > 0 && received.length < MAX_MESSAGES; batch = await queue.receive(10)) received.push(...batch);
    const receipts = new Map(received.map((m) => [m.id, m.receipt]));
    const { groups, foreign } = groupByExecution(received);
    for (const f of foreign) await queue.release(receipts.get(f.messageId)!);
    const result: RedriveResult = { executions: [], foreign };
    for (const group of groups) {
      const entry = await this.judge(group);
      const settle = async (action: RedriveAction, keep: boolean, extra: { status?: ExecutionStatus; reason?: string } = {}) => {
        for (const id of entry.messageIds) await (keep ? queue.release(receipts.get(id)!) : queue.delete(receipts.get(id)!));
        result.executions.push({ executionArn: entry.executionArn, name: entry.name, action, ...extra });
      };
      if (discard.includes(entry.executionArn) || discard.includes(entry.name)) await settle('discarded', false);
      else if (entry.verdict === 'superseded') await settle('superseded', false, { reason: `a later upload of the same file succeeded (${entry.supersededBy})` });
      else if (entry.verdict === 'succeeded') await settle('already-succeeded', false, { status: 'SUCCEEDED' });
      else if (entry.verdict === 'data-error') await settle('kept', true, { status: entry.statusNow!, reason: dataErrorAdvice(entry.dataError!) });
      else if (entry.verdict === 'running') await settle('kept', true, { status: 'RUNNING', reason: 'the execution is still running' });
      else if (entry.verdict === 'unknown-execution') await settle('kept', true, { reason: 'the execution is not known to this target' });
      else {
        const outcome = await this.target.redrive(entry.executionArn).catch((error: Error) => error);
        if (outcome instanceof Error) await settle('kept', true, { reason: `redrive refused: ${outcome.message}` });
        else if (outcome.status === 'SUCCEEDED') await settle('redriven', false, { status: 'SUCCEEDED' });
        else await settle('kept', true, { status: outcome.status, reason: `re-driven, and ${outcome.status} again${outcome.failure ? ` at ${outcome.failure.state}: ${outcome.failure.error}` : ''}` });
      }
    }
    return result;
  }

  private async judge(group: MessageGroup): Promise<DeadLetterEntry> {
    const { message } = group;
    const record = await this.target.describe(message.executionArn);
    const base = {
      executionArn: message.executionArn,
      name: message.name,
      message,
      messageIds: group.ids,
      ...(group.sentAt === undefined ? {} : { sentAt: group.sentAt }),
      ...(record ? { statusNow: record.status } : {}),
      ...(record?.failure ? { failedState: record.failure.state } : {}),
    };
    if (!record) return { ...base, verdict: 'unknown-execution' };
    if (record.status === 'SUCCEEDED') return { ...base, verdict: 'succeeded' };
    const later = await this.target.succeededLater(message.input, record.startedAt);
    if (later !== undefined) return { ...base, verdict: 'superseded', supersededBy: later };
    if (record.status === 'RUNNING') return { ...base, verdict: 'running' };
    const dataError = dataErrorOf(record);
    return dataError ? { ...base, verdict: 'data-error', dataError } : { ...base, verdict: 'redrivable' };
  }
}

interface MessageGroup { message: FailureMessage; ids: string[]; sentAt?: string }

/** Messages by execution, the newest message of each standing for it (messages arrive oldest first). */
function groupByExecution(messages: readonly (PeekedMessage | QueueMessage)[]): { groups: MessageGroup[]; foreign: ForeignMessage[] } {
  const groups = new Map<string, MessageGroup>();
  const foreign: ForeignMessage[] = [];
  for (const m of messages) {
    const read = readFailureMessage(m.body);
    if ('problem' in read) {
      foreign.push({ messageId: m.id, body: m.body, problem: read.problem });
      continue;
    }
    const sentAt = 'sentAt' in m ? m.sentAt : undefined;
    const group = groups.get(read.message.executionArn);
    if (group) {
      group.ids.push(m.id);
      group.message = read.message;
      if (sentAt !== undefined) group.sentAt = sentAt;
    } else {
      groups.set(read.message.executionArn, { message: read.message, ids: [m.id], ...(sentAt === undefined ? {} : { sentAt }) });
    }
  }
  return { groups: [...groups.values()], foreign };
}
