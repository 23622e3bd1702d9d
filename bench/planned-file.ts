/**
 * The file the core's benchmarks work on (bench:core, bench:threads, bench:worker-heap): a generated standard export
 * of about `sizeMb` MB, and its plan cut into `chunkBytes` ranges, also written beside it for the child processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planFile, type FilePlan } from '../tasks/plan/plan-file';
import { writeFile } from '../workflows/generate/write-files';
import { generateFileText } from '../workflows/generate/file';

export interface PlannedFile {
  file: string;
  bytes: number;
  rows: number;
  generateSeconds: number;
  plan: FilePlan;
  planPath: string;
}

export async function writePlannedFile(dir: string, sizeMb: number, chunkBytes: number): Promise<PlannedFile> {
  const spec = { layout: 'standard' as const, branch: 'Leeds', day: '2021-09-09', rows: 2000, badRows: 0, seed: 42 };
  const bytesPerRow = Buffer.byteLength(generateFileText(spec).text) / spec.rows;
  const file = path.join(dir, 'bench.csv');
  const rows = Math.round((sizeMb * 1e6) / bytesPerRow);
  const started = performance.now();
  const bytes = writeFile(file, { ...spec, rows });
  const generateSeconds = (performance.now() - started) / 1000;
  const plan = await planFile(fs.createReadStream(file, { highWaterMark: 1 << 20 }), { targetChunkBytes: chunkBytes });
  const planPath = path.join(dir, 'plan.json');
  fs.writeFileSync(planPath, JSON.stringify(plan));
  return { file, bytes, rows, generateSeconds, plan, planPath };
}
