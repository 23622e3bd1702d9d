/** Plan → Extract → Transform handlers over the local bucket, on generated files of every layout. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { isRight } from 'fp-ts/Either';
import { makeExtractHandler } from '../../../tasks/extract/handler';
import { makePlanHandler } from '../../../tasks/plan/handler';
import { makeTransformHandler } from '../../../tasks/transform/handler';
import { InvalidInputError, NotCafeExportError, StagingMissingError } from '../../../tasks/domain/errors';
import { STAR_TABLE_NAMES, type StarTable } from '../../../tasks/domain/star';
import type { ChunkResult, ExtractOutput, PlanOutput } from '../../../tasks/file-in-flight/manifests';
import { aggregatesKeyOf, cleanKeyOf, rejectedKeyOf, starKeyOf } from '../../../tasks/file-in-flight/bucket-layout';
import { cleanFromCsv } from '../../../tasks/extract/clean-csv';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { EXECUTION_ID, filesUnder, taskHarness } from '../../support/task-harness';

async function runChunks(h: ReturnType<typeof taskHarness>, plan: PlanOutput) {
  const extract = makeExtractHandler(h.capabilities);
  const transform = makeTransformHandler(h.capabilities);
  const extracted: ExtractOutput[] = [];
  const results: ChunkResult[] = [];
  for (const chunk of plan.chunks) {
    const item = { file: plan.file, layout: plan.layout, chunk, executionId: EXECUTION_ID };
    const e = await extract(item);
    extracted.push(e);
    results.push(await transform({ ...item, extract: e }));
  }
  return { extracted, results };
}

describe('Plan, Extract and Transform handlers', () => {
  it.each(FILE_LAYOUTS)('%s: every row is planned, extracted and staged once, with the generator\'s counts', async (layout) => {
    const h = taskHarness({ chunkBytes: 2048 });
    const spec = { layout, branch: 'Leeds', day: '2024-01-02', rows: 60, badRows: 6, seed: 7 };
    const generated = generateFileText(spec);
    const plan = await makePlanHandler(h.capabilities)(await h.upload(`leeds/${layout}.csv`, generated.text));
    const size = Buffer.byteLength(generated.text);
    expect(plan.file).toEqual({ bucket: 'local', key: `raw/leeds/${layout}.csv`, size, sha256: createHash('sha256').update(generated.text).digest('hex') });
    expect(plan.layout).not.toBeNull();
    expect(plan.chunks.length).toBeGreaterThan(1);
    expect(plan.chunks[0]!.start).toBe(0);
    expect(plan.chunks[plan.chunks.length - 1]!.end).toBe(size);

    const { extracted, results } = await runChunks(h, plan);
    const sum = (field: keyof ChunkResult) => results.reduce((n, r) => n + r[field], 0);
    expect(sum('rowsIn')).toBe(generated.transactions.length + generated.rejects.length);
    expect(sum('rowsOut')).toBe(generated.transactions.length);
    expect(sum('rowsRejected')).toBe(generated.rejects.length);
    expect(extracted.reduce((n, e) => n + e.bytesRead, 0)).toBe(size);

    // Staged transactions: one line per clean transaction, across the chunks' star CSVs.
    const staged = plan.chunks.flatMap((c) => csvParseRows(fs.readFileSync(h.bucket.pathOf(starKeyOf(plan.file, c.index, 'transactions')), 'utf8')));
    expect(staged.map((r) => Number(r[2])).sort((a, b) => a - b)).toEqual(generated.transactions.map((t) => t.row));
    for (const c of plan.chunks) for (const table of STAR_TABLE_NAMES) expect(fs.existsSync(h.bucket.pathOf(starKeyOf(plan.file, c.index, table)))).toBe(true);
    // Each chunk's partial aggregates beside them: its transactions counted once by hour, once by payment type.
    const partials = plan.chunks.flatMap((c) => csvParseRows(fs.readFileSync(h.bucket.pathOf(aggregatesKeyOf(plan.file, c.index)), 'utf8')));
    for (const kind of ['hourly', 'payment']) {
      expect(partials.filter((r) => r[0] === kind).reduce((n, r) => n + Number(r[6]), 0)).toBe(generated.transactions.length);
    }

    // Rejected-row reports: row numbers and reasons only, together the generator's rejects.
    const reports = plan.chunks
      .map((c) => h.bucket.pathOf(rejectedKeyOf(plan.file, c.index)))
      .filter((f) => fs.existsSync(f))
      .flatMap((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as { rejected: { row: number; reason: string }[] }).rejected);
    expect(reports.sort((a, b) => a.row - b.row)).toEqual(generated.rejects);
    for (const r of reports) expect(Object.keys(r).sort()).toEqual(['reason', 'row']);
  });

  it('a Transform re-driven over a chunk staged in the former clean-row format (items inline) stages the same star CSVs', async () => {
    const h = taskHarness();
    const generated = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-01-02', rows: 50, badRows: 0, seed: 11 });
    const plan = await makePlanHandler(h.capabilities)(await h.upload('leeds/former.csv', generated.text));
    const { extracted } = await runChunks(h, plan);
    const staged = (table: StarTable) => fs.readFileSync(h.bucket.pathOf(starKeyOf(plan.file, 0, table)), 'utf8');
    const now = Object.fromEntries(STAR_TABLE_NAMES.map((table) => [table, staged(table)]));
    // What an earlier Extract staged for the same rows: no header, each item's four fields in its transaction's line.
    const back = cleanFromCsv(fs.readFileSync(h.bucket.pathOf(cleanKeyOf(plan.file, 0)), 'utf8'));
    if (!isRight(back)) throw back.left;
    const field = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const former = back.right.map((tx) => [tx.row, tx.soldAt, field(tx.branch), tx.paymentType, tx.totalPence,
      ...tx.items.flatMap((i) => [field(i.name), i.size, i.flavour === null ? '' : i.flavour === '' ? '""' : field(i.flavour), i.pricePence])].join(','));
    fs.writeFileSync(h.bucket.pathOf(cleanKeyOf(plan.file, 0)), `${former.join('\n')}\n`);
    for (const table of STAR_TABLE_NAMES) fs.rmSync(h.bucket.pathOf(starKeyOf(plan.file, 0, table)));
    const item = { file: plan.file, layout: plan.layout, chunk: plan.chunks[0]!, executionId: EXECUTION_ID };
    await expect(makeTransformHandler(h.capabilities)({ ...item, extract: extracted[0]! })).resolves.toMatchObject({ rowsOut: 50 });
    for (const table of STAR_TABLE_NAMES) expect(staged(table)).toBe(now[table]);
  });

  it('strips a byte-order mark from chunk 0 only, and stages no customer name or card number', async () => {
    const h = taskHarness({ chunkBytes: 1024 });
    const generated = generateFileText({ layout: 'bom-trailing-space', branch: 'York', day: '2024-01-02', rows: 40, badRows: 0, seed: 3 });
    expect(generated.text.charCodeAt(0)).toBe(0xfeff);
    const plan = await makePlanHandler(h.capabilities)(await h.upload('york/bom.csv', generated.text));
    const { results } = await runChunks(h, plan);
    expect(results.reduce((n, r) => n + r.rowsOut, 0)).toBe(40);
    const sourceRows = csvParseRows(generated.text.slice(1)).filter((r) => r.length === 7).slice(1);
    const secrets = sourceRows.flatMap((r) => [r[2]!.trim(), r[6]!.trim()]).filter((s) => s.length > 3 && s !== 'None');
    expect(secrets.length).toBeGreaterThan(40);
    for (const file of filesUnder(path.join(h.home, 'bucket', 'staging'))) {
      const text = fs.readFileSync(path.join(h.home, 'bucket', 'staging', file), 'utf8');
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('a file that is not a cafe export fails fast in Plan (CafeEtl.NotCafeExport) with nothing staged', async () => {
    const h = taskHarness();
    const plan = makePlanHandler(h.capabilities);
    const failure = plan(await h.upload('x/inventory.csv', 'sku,description,qty\nA1,Cups,400\nB2,Lids,380\n'));
    await expect(failure).rejects.toBeInstanceOf(NotCafeExportError);
    await expect(failure).rejects.toMatchObject({ name: 'CafeEtl.NotCafeExport' });
    expect(filesUnder(path.join(h.home, 'bucket', 'staging'))).toEqual([]);
    // Plan's failure is still measured: Errors = 1 for the Plan state.
    const metrics = fs.readFileSync(path.join(h.home, 'metrics', 'test-1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(metrics.find((m) => m.State === 'Plan')).toMatchObject({ Invocations: 1, Errors: 1 });
    // Extract still refuses a chunk without a layout, should one ever reach it.
    const file = { bucket: 'local', key: 'raw/x/inventory.csv', size: 10, sha256: 'ab'.repeat(32) };
    await h.upload('x/inventory.csv', '0123456789');
    await expect(makeExtractHandler(h.capabilities)({ file, layout: null, chunk: { index: 0, start: 0, end: 10, firstRow: 1 }, executionId: EXECUTION_ID }))
      .rejects.toBeInstanceOf(NotCafeExportError);
  });

  it('a file with customer name and branch swapped is not a cafe export: Plan fails, no name is staged', async () => {
    const h = taskHarness({ chunkBytes: 1024 });
    const generated = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-01-02', rows: 112, badRows: 0, seed: 8 });
    const rows = csvParseRows(generated.text).map((r) => [r[0]!, r[2]!, r[1]!, ...r.slice(3)]);
    const failure = makePlanHandler(h.capabilities)(await h.upload('leeds/swapped.csv', `${csvFormatRows(rows)}\n`));
    await expect(failure).rejects.toMatchObject({ name: 'CafeEtl.NotCafeExport' });
    expect(filesUnder(path.join(h.home, 'bucket', 'staging'))).toEqual([]);
  });

  it('names the field of an event that does not decode, and refuses what is not in the bucket', async () => {
    const h = taskHarness();
    const plan = makePlanHandler(h.capabilities);
    await expect(plan({ bucket: 'local', executionId: EXECUTION_ID })).rejects.toThrow(new InvalidInputError('invalid Plan event: key: expected a non-empty string, got nothing'));
    await expect(plan({ bucket: 'local', key: 'raw/none.csv', executionId: EXECUTION_ID })).rejects.toThrow(/not in bucket 'local'/);
    await expect(plan({ bucket: 'elsewhere', key: 'raw/a.csv', executionId: EXECUTION_ID })).rejects.toThrow(/not the local bucket/);
    const extract = makeExtractHandler(h.capabilities);
    const file = { bucket: 'local', key: 'raw/a.csv', size: 10, sha256: 'ab'.repeat(32) };
    await expect(extract({ file: { ...file, sha256: 'nope' }, layout: null, chunk: { index: 0, start: 0, end: 10, firstRow: 1 }, executionId: EXECUTION_ID }))
      .rejects.toThrow(/invalid Extract event: file\.sha256: expected a SHA-256 in hex, got "nope"/);
    await expect(extract({ file, layout: null, chunk: { index: 0, start: 0, end: 11, firstRow: 1 }, executionId: EXECUTION_ID })).rejects.toThrow(/not inside the 10-byte file/);
    const transform = makeTransformHandler(h.capabilities);
    const extracted = { rowsIn: 1, rowsOut: 1, rowsRejected: 0, bytesRead: 10 };
    // Nothing staged at chunk 0's clean key (bucket-layout.ts): StagingMissing, not a retryable storage error.
    await expect(transform({ file, layout: null, chunk: { index: 0, start: 0, end: 10, firstRow: 1 }, executionId: EXECUTION_ID, extract: extracted }))
      .rejects.toBeInstanceOf(StagingMissingError);
    expect(cleanKeyOf(file, 3)).toMatch(/^staging\/\d+\/abababababababab\/chunk-00003\/clean\.csv$/);
  });
});
