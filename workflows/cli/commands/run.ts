/**
 * `cafe-etl run FILE…`: one execution per file, a few at once, then the per-state table. Every file gets its own
 * key (`raw/<branch>/<upload id>/<name>`, see targets/uploads.ts), decided before anything runs, so no upload
 * can replace another's rows.
 */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { renderExecutionList, renderStateTable, stateTableRows } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import { UNSUCCESSFUL_STATUSES, type ExecutionRecord } from '../../history/types';
import { mapBounded } from '../map-bounded';
import { planUploads, sharedKeys, type Upload } from '../../targets/uploads';

export function makeRunCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.run,
    async run(args, options, io) {
      const { values, positionals: files } = parseCommandArgs(COMMAND_INFO.run, args);
      if (files.length === 0) throw new UsageError('run needs at least one FILE');
      const { concurrency } = values;
      const loadWindow = values['load-window'];
      const uploads = values.key !== undefined
        ? [exactUpload(files, values.key, values.branch)]
        : await planUploads(files, values.branch === undefined ? {} : { branch: values.branch }).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'ENOENT' || error.code === 'EISDIR' ? new UsageError(`cannot read ${error.path ?? 'a FILE'}: ${error.code}`) : error;
        });
      const shared = sharedKeys(uploads);
      if (shared.length > 0) {
        const named = shared.map(({ key, files: same }) => `${same.map((f) => `'${f}'`).join(' and ')} (${key})`).join('; ');
        throw new UsageError(`nothing run: these would land on the same key, so one would replace the other: ${named}. Name each file once.`);
      }
      return withTarget(open, options, async (target) => {
        if (loadWindow !== undefined) {
          if (!target.batchLoads) throw new UsageError("--load-window is the local batch loader's: in AWS the window is the stack's loadWindowSeconds context value");
          target.batchLoads.configure({ windowMs: loadWindow });
        }
        const started = Date.now();
        const progressEvery = Math.max(1, Math.floor(files.length / 20));
        const records = await mapBounded(uploads, concurrency, (upload) => target.runFile(upload), (done) => {
          if (files.length > 1 && (done % progressEvery === 0 || done === files.length)) {
            io.err(`[${done}/${files.length}] ${((Date.now() - started) / 1000).toFixed(1)} s`);
          }
        });
        printOutcome(records, target.resultPaths, options.json, io.out);
        const loads = target.batchLoads?.stats;
        if (loads && loads.messages > 0) io.err(`Load: ${loads.messages} requests in ${loads.batches} batch${loads.batches === 1 ? '' : 'es'}, ${loads.sessions} warehouse session${loads.sessions === 1 ? '' : 's'}`);
        return exitStatusOf(records);
      });
    },
  };
}

/** The longest batching window an SQS event source takes (MaximumBatchingWindowInSeconds ≤ 300). */

/**
 * `--key`: one file onto an exact key, replacing what an earlier upload of that key loaded (a corrected file, which
 * also supersedes the earlier upload's dead-letter message).
 */
function exactUpload(files: readonly string[], key: string, branch: string | undefined): Upload {
  if (files.length !== 1 || branch !== undefined) throw new UsageError('--key takes exactly one FILE, and no --branch');
  if (!/^raw\/.+\.csv$/i.test(key)) throw new UsageError(`--key must be a raw/….csv key (what the upload rule starts executions for), not '${key}'`);
  return { file: files[0]!, key };
}

/** Records without their event lists: what `--json` prints for a list of executions. */
export function summariesOf(records: readonly ExecutionRecord[]): Omit<ExecutionRecord, 'events'>[] {
  return records.map(({ events: _events, ...summary }) => summary);
}

/** Non-zero when any execution ended unsuccessfully. */
export function exitStatusOf(records: readonly ExecutionRecord[]): number {
  return records.some((r) => UNSUCCESSFUL_STATUSES.includes(r.status)) ? 1 : 0;
}

export function printOutcome(records: readonly ExecutionRecord[], resultPaths: Parameters<typeof stateTableRows>[1], json: boolean, out: (text: string) => void): void {
  if (json) {
    out(JSON.stringify(summariesOf(records)));
    return;
  }
  out(renderStateTable(stateTableRows(records, resultPaths)));
  out('');
  out(renderExecutionList(records.filter((r) => records.length <= 20 || r.status !== 'SUCCEEDED')));
  for (const failed of records.filter((r) => UNSUCCESSFUL_STATUSES.includes(r.status))) {
    out(`\n${failed.executionId} ${failed.status} in ${failed.failure?.state ?? '?'}: ${failed.failure?.error ?? ''} ${failed.failure?.cause ?? ''}`.trimEnd());
    out(`  re-drive it with: cafe-etl redrive ${failed.executionId}`);
  }
}


