/** `cafe-etl describe ID [--json]`: one execution, state by state. */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { formatDuration, renderStateTable, renderTable, stateTableRows } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import { foldStateRuns } from '../../history/fold';
import type { ExecutionRecord } from '../../history/types';

export function renderDescription(record: ExecutionRecord, resultPaths: Parameters<typeof stateTableRows>[1]): string {
  const lines = [
    `execution  ${record.executionId}`,
    `input      ${record.input.bucket}/${record.input.key}`,
    `status     ${record.status}${record.redriveCount > 0 ? ` (re-driven ${record.redriveCount}×)` : ''}`,
    `started    ${record.startedAt}${record.stoppedAt ? `, stopped ${record.stoppedAt}` : ''}`,
  ];
  if (record.rows) lines.push(`rows       ${record.rows.in} in, ${record.rows.out} out, ${record.rows.rejected} rejected`);
  if (record.loadStatus) lines.push(`load       ${record.loadStatus}`);
  if (record.failure) lines.push(`failed in  ${record.failure.state}: ${record.failure.error}: ${record.failure.cause}`);
  const runs = foldStateRuns(record.events);
  return [
    ...lines,
    '',
    renderStateTable(stateTableRows([record], resultPaths)),
    '',
    renderTable(
      ['state run', 'attempt of execution', 'status', 'attempts', 'duration', 'error'],
      runs.map((r) => [
        r.mapIndex === undefined ? r.state : `${r.state}[${r.mapIndex}]`,
        String(record.events.find((e) => e.timestamp === r.startedAt && e.state === r.state)?.redriveCount ?? 0),
        r.status,
        String(r.attempts),
        r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
        r.error ?? '',
      ]),
    ),
  ].join('\n');
}

export function makeDescribeCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.describe,
    async run(args, options, io) {
      const { positionals } = parseCommandArgs(COMMAND_INFO.describe, args);
      const [id] = positionals;
      if (id === undefined || positionals.length > 1) throw new UsageError('describe needs exactly one EXECUTION_ID');
      return withTarget(open, options, async (target) => {
        const record = await target.describe(id);
        if (!record) {
          io.err(`cafe-etl: no execution '${id}'`);
          return 1;
        }
        io.out(options.json ? JSON.stringify({ ...record, stateRuns: foldStateRuns(record.events) }) : renderDescription(record, target.resultPaths));
        return 0;
      });
    },
  };
}

