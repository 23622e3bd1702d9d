/** `cafe-etl dlq list [--json]` and `cafe-etl dlq redrive`: the failure dead-letter queue. */
import type { Command } from '../command';
import { decodeArgs } from '../args';
import { UsageError } from '../options';
import { renderTable } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import type { DlqEntry } from '../../targets/target';

export function renderDlq(entries: readonly DlqEntry[]): string {
  if (entries.length === 0) return 'the dead-letter queue is empty';
  return renderTable(
    ['message', 'sent', 'execution', 'state', 'error', 'file'],
    entries.map((e) => [
      e.messageId,
      e.sentAt ?? '-',
      e.message?.executionId.replace(/^.*:/, '') ?? '-',
      e.message?.state ?? '-',
      e.message?.error ?? (e.problem === undefined ? '-' : 'not a failure message'),
      e.message?.input.key ?? '-',
    ]),
  );
}

export function makeDlqCommand(open: OpenTarget): Command {
  return {
    name: 'dlq',
    summary: 'list the failure dead-letter queue, or re-drive every execution in it',
    usage: 'dlq list [--json] | dlq redrive',
    async run(args, options, io) {
      const { positionals } = decodeArgs(args, {});
      const [action] = positionals;
      if (positionals.length !== 1 || (action !== 'list' && action !== 'redrive')) throw new UsageError('dlq needs list or redrive');
      return withTarget(open, options, async (target) => {
        if (action === 'list') {
          const entries = await target.dlqList();
          io.out(options.json ? JSON.stringify(entries) : renderDlq(entries));
          return 0;
        }
        const result = await target.dlqRedrive();
        if (options.json) {
          io.out(JSON.stringify(result));
        } else {
          for (const r of result.redriven) io.out(r.alreadySucceeded ? `${r.executionId} already SUCCEEDED: message deleted` : `re-drove ${r.executionId}: ${r.status}`);
          for (const k of result.kept) io.out(`kept message ${k.messageId}: ${k.reason}`);
          if (result.redriven.length === 0 && result.kept.length === 0) io.out('the dead-letter queue is empty');
        }
        return result.kept.length > 0 || result.redriven.some((r) => r.status !== 'SUCCEEDED' && r.status !== 'RUNNING') ? 1 : 0;
      });
    },
  };
}

