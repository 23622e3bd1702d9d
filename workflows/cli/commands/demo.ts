/**
 * `cafe-etl demo` (what `npm start` runs until the workflow exists): generates sample branch files into
 * `<home>/samples`, runs the core over them and prints transactions per branch and day and rejected rows
 * by reason.
 */
import * as path from 'node:path';
import type { Command } from '../command';
import { writeFiles } from '../../generate/write-files';
import { runCoreOverFile } from '../../core/run-file';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'generate sample files and run the ETL core over them (interim `npm start`)',
  usage: 'demo',
  async run(_args, options, io) {
    const samples = path.join(options.home, 'samples');
    const files = writeFiles({ branches: 4, days: 2, rows: 120, out: samples, seed: 2021, layout: 'mixed', badRows: 6 });
    const perBranchDay = new Map<string, number>();
    const rejectsByReason = new Map<string, number>();
    const failedFiles: string[] = [];
    for (const file of files) {
      const branchById = new Map<string, string>();
      const run = await runCoreOverFile(file.path, { bucket: 'samples', key: path.basename(file.path) }, { targetChunkBytes: 16 * 1024 }, (chunk) => {
        for (const b of chunk.star.branches) branchById.set(b.branchId, b.branchName);
        for (const tx of chunk.star.transactions) {
          const key = `${branchById.get(tx.branchId)}\t${tx.soldAt.slice(0, 10)}`;
          perBranchDay.set(key, (perBranchDay.get(key) ?? 0) + 1);
        }
        for (const r of chunk.rejects) rejectsByReason.set(r.reason, (rejectsByReason.get(r.reason) ?? 0) + 1);
      });
      if (run.error) failedFiles.push(`${path.basename(file.path)}: ${run.error.message}`);
    }
    const summary = {
      samples,
      files: files.length,
      transactionsPerBranchDay: [...perBranchDay].sort().map(([key, transactions]) => {
        const [branch, day] = key.split('\t');
        return { branch, day, transactions };
      }),
      rejectedByReason: Object.fromEntries([...rejectsByReason].sort()),
      failedFiles,
    };
    if (options.json) {
      io.out(JSON.stringify(summary));
      return failedFiles.length > 0 ? 1 : 0;
    }
    io.out(`Generated ${files.length} sample files (every layout) in ${samples}\n`);
    io.out('branch                day          transactions');
    for (const row of summary.transactionsPerBranchDay) io.out(`${row.branch!.padEnd(22)}${row.day!.padEnd(13)}${String(row.transactions).padStart(12)}`);
    io.out('\nrejected rows by reason');
    for (const [reason, count] of Object.entries(summary.rejectedByReason)) io.out(`  ${reason.padEnd(16)}${count}`);
    for (const failure of failedFiles) io.out(`FAILED ${failure}`);
    return failedFiles.length > 0 ? 1 : 0;
  },
};
