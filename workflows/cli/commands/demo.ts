/**
 * `cafe-etl demo` (what `npm start` runs): generates sample branch files of every layout (a few bad rows each)
 * and one file that is not a cafe export, runs each through the local state machine into the warehouse, and
 * prints the per-state table, the failed execution with its dead-letter message and the commands to look at
 * and re-drive it, then a short trends summary from the `analytics` views. Deterministic, so re-runnable:
 * the same uploads replace what they loaded before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Warehouse } from '../../../tasks/warehouse/port';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { UsageError, type GlobalOptions } from '../options';
import { parseCommandArgs } from '../args';
import type { OpenLocalTarget } from '../open-target';
import { renderExecutionList, renderStateTable, stateTableRows } from '../table';
import { readTrends, renderTrends } from '../trends';
import { mapBounded } from '../map-bounded';
import { writeFiles } from '../../generate/write-files';
import type { ExecutionRecord } from '../../history/types';
import { DeadLetters } from '../../failures/dead-letters';
import { fixedUpload } from '../../targets/uploads';

/** An export from the chain's stock system: CSV, but not sales. Extract must refuse it. */
export const NOT_A_CAFE_EXPORT = [
  'sku,description,unit,on_hand,reorder_level',
  'CUP-12,Paper cup 12oz,sleeve,42,20',
  'LID-12,Lid 12oz,sleeve,38,20',
  'BEAN-HSE,House espresso beans 1kg,bag,9,12',
  'MILK-OAT,Oat milk 1l,carton,30,24',
  '',
].join('\n');

export interface DemoSample { path: string; branch: string }

export function writeSamples(dir: string): DemoSample[] {
  // 4 branches × 8 days = 32 files: `mixed` gives them the 8 layouts in turn, and 8 days give the trends page a
  // product's units over time to show.
  const files = writeFiles({ branches: 4, days: 8, rows: 40, out: dir, seed: 2021, layout: 'mixed', badRows: 4 });
  const notCafe = path.join(dir, 'stock-take.csv');
  fs.writeFileSync(notCafe, NOT_A_CAFE_EXPORT);
  return [...files.map((f) => ({ path: f.path, branch: f.spec.branch })), { path: notCafe, branch: 'head-office' }];
}

/** The command line a user types to act on this home (`--home` only when it is not the default). */
export function cliPrefix(home: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, home);
  if (relative === '.cafe-etl') return 'node bin/cafe-etl.cjs';
  const shown = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : home;
  return `node bin/cafe-etl.cjs --home ${/^[\w./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, "'\\''")}'`}`;
}

export function makeDemoCommand(openLocal: OpenLocalTarget, openWarehouse: (options: GlobalOptions) => Promise<Warehouse>): Command {
  return {
    ...COMMAND_INFO.demo,
    async run(args, options, io) {
      const { positionals } = parseCommandArgs(COMMAND_INFO.demo, args);
      if (positionals.length > 0) throw new UsageError(`demo takes no arguments (got '${positionals[0]}')`);
      if (options.target === 'aws') throw new UsageError('demo runs locally: use `cafe-etl run --target aws FILE…` against the stack');
      const samples = writeSamples(path.join(options.home, 'samples'));
      const say = options.json ? () => undefined : io.out;
      say(`Generated ${samples.length} sample files in ${path.join(options.home, 'samples')}: every layout, 4 bad rows each, and one stock-take export that is not a cafe export.`);
      say(`Running each through statemachine.asl.json locally into ${options.warehouse} …\n`);

      const target = await openLocal(options);
      let records: ExecutionRecord[];
      let dlq;
      try {
        records = await mapBounded(samples, 4, (s) => target.runFile(fixedUpload(s.path, s.branch)), () => undefined);
        dlq = await new DeadLetters(target).list();
      } finally {
        await target.close();
      }
      const failed = records.filter((r) => r.status !== 'SUCCEEDED');
      const prefix = cliPrefix(options.home);
      const failures = failed.map((r) => ({
        executionId: r.executionId,
        key: r.input.key,
        failure: r.failure,
        dlqMessage: dlq.entries.find((e) => e.name === r.executionId)?.message,
        redriveCommand: `${prefix} redrive ${r.executionId}`,
      }));

      const warehouse = await openWarehouse(options);
      let trends;
      try {
        trends = await readTrends(warehouse);
      } finally {
        await warehouse.close();
      }

      // As planned: every cafe file loaded, the stock-take export failed (and only it).
      const asPlanned = failed.length === 1 && failed[0]!.input.key.endsWith('/stock-take.csv') && failed[0]!.failure?.error === 'CafeEtl.NotCafeExport';
      if (options.json) {
        io.out(JSON.stringify({ samples: samples.map((s) => s.path), executions: records.map(({ events: _e, ...summary }) => summary), failures, trends, asPlanned }));
        return asPlanned ? 0 : 1;
      }
      io.out(renderStateTable(stateTableRows(records, target.resultPaths)));
      io.out('');
      io.out(renderExecutionList(records));
      for (const f of failures) {
        io.out(`\nExecution ${f.executionId} (${f.key}) failed in ${f.failure?.state ?? '?'}: ${f.failure?.error ?? ''}: ${f.failure?.cause ?? ''}`);
        io.out(`Its dead-letter message (${prefix} dlq list):`);
        io.out(JSON.stringify(f.dlqMessage ?? 'no message found', null, 2).replace(/^/gm, '  '));
        io.out(`See it state by state: ${prefix} describe ${f.executionId}`);
        io.out(`Re-drive it from the failed state: ${f.redriveCommand}`);
        io.out('(A file that is not a cafe export fails the same way again: `redrive` refuses it without --force; correct the file and upload it again. A warehouse that was down would now load.)');
      }
      io.out(`\n${renderTrends(trends)}`);
      io.out(`\nMore: ${prefix} executions | ${prefix} query "SELECT * FROM analytics.payment_mix" | ${prefix} run FILE…`);
      return asPlanned ? 0 : 1;
    },
  };
}
