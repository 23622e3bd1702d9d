/** `cafe-etl dlq list [--json]` and `cafe-etl dlq redrive [--discard ID]…`: the failure dead-letter queue. */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { UsageError } from '../options';
import { parseCommandArgs } from '../args';
import { renderTable } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import { DeadLetters, type DeadLetterList, type RedriveResult, type Verdict } from '../../failures/dead-letters';

const VERDICT_TEXT: Record<Verdict, string> = {
  redrivable: 'can be re-driven',
  'data-error': 'fix the file and upload it again',
  superseded: 'superseded by a later upload',
  succeeded: 'succeeded since',
  running: 'running',
  'unknown-execution': 'execution not found',
};

export function renderDlq({ entries, foreign }: DeadLetterList): string {
  if (entries.length === 0 && foreign.length === 0) return 'the dead-letter queue is empty';
  const table = renderTable(
    ['execution', 'sent', 'messages', 'status then', 'status now', 'state', 'error', 'file', 'what to do'],
    entries.map((e) => [
      e.name,
      e.sentAt ?? '-',
      String(e.messageIds.length),
      e.message.status,
      e.statusNow ?? '-',
      e.failedState ?? '-',
      e.dataError ?? e.message.error ?? '-',
      e.message.input.key,
      VERDICT_TEXT[e.verdict],
    ]),
  );
  return [table, ...foreign.map((f) => `message ${f.messageId} is ${f.problem}`)].join('\n');
}

export function renderRedrive(result: RedriveResult): string[] {
  const lines = result.executions.map((r) => {
    switch (r.action) {
      case 'redriven': return `re-drove ${r.name}: SUCCEEDED, message deleted`;
      case 'already-succeeded': return `${r.name} already SUCCEEDED: message deleted`;
      case 'superseded': return `${r.name}: ${r.reason}: message deleted`;
      case 'discarded': return `${r.name}: message discarded`;
      case 'kept': return `kept ${r.name}${r.status ? ` (${r.status})` : ''}: ${r.reason ?? ''}`;
    }
  });
  for (const f of result.foreign) lines.push(`kept message ${f.messageId}: ${f.problem}`);
  return lines.length > 0 ? lines : ['the dead-letter queue is empty'];
}

/** Non-zero while any execution of the batch is still unsuccessful (its message kept), or a message is unreadable. */
export const redriveExitStatus = (result: RedriveResult): number =>
  result.foreign.length > 0 || result.executions.some((r) => r.action === 'kept') ? 1 : 0;

export function makeDlqCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.dlq,
    async run(args, options, io) {
      const { values: { discard }, positionals: [action, ...rest] } = parseCommandArgs(COMMAND_INFO.dlq, args);
      if (action !== 'list' && action !== 'redrive') throw new UsageError('dlq needs list or redrive');
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
      if (action === 'list' && discard.length > 0) throw new UsageError('--discard is for dlq redrive only');
      return withTarget(open, options, async (target) => {
        const deadLetters = new DeadLetters(target);
        if (action === 'list') {
          const list = await deadLetters.list();
          io.out(options.json ? JSON.stringify(list) : renderDlq(list));
          return 0;
        }
        const result = await deadLetters.redrive(discard);
        if (options.json) io.out(JSON.stringify(result));
        else for (const line of renderRedrive(result)) io.out(line);
        return redriveExitStatus(result);
      });
    },
  };
}
