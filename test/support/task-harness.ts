/** Task handlers over a temporary home: the local bucket, telemetry captured to files, an in-memory PGlite warehouse. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localTelemetry } from '../../tasks/metrics/local';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { localCapabilities, type LocalCapabilities } from '../../tasks/capabilities/local';
import { DEFAULT_CHUNK_BYTES } from '../../tasks/capabilities/settings';
import { makeExtractHandler } from '../../tasks/extract/handler';
import { makePlanHandler } from '../../tasks/plan/handler';
import { makeTransformHandler } from '../../tasks/transform/handler';

export const EXECUTION_ID = 'arn:aws:states:us-east-1:000000000000:execution:CafeEtl:test-1';

export interface TaskHarness {
  home: string;
  bucket: LocalObjectStore;
  capabilities: LocalCapabilities;
  /** Puts `text` under `raw/<name>` and returns the Plan event for it. */
  upload(name: string, text: string | Uint8Array): Promise<{ bucket: string; key: string; executionId: string }>;
}

export function taskHarness(settings: { chunkBytes?: number; maxRejectedShare?: number; warehouseUrl?: string } = {}): TaskHarness {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tasks-'));
  const bucket = new LocalObjectStore(path.join(home, 'bucket'), 'local');
  const capabilities = localCapabilities({
    bucket,
    warehouseUrl: settings.warehouseUrl ?? 'pglite://:memory:',
    telemetry: localTelemetry(home),
    settings: { chunkBytes: settings.chunkBytes ?? DEFAULT_CHUNK_BYTES, maxRejectedShare: settings.maxRejectedShare ?? 0.5 },
  });
  return {
    home,
    bucket,
    capabilities,
    async upload(name, text) {
      const key = `raw/${name}`;
      await bucket.put(key, text);
      return { bucket: 'local', key, executionId: EXECUTION_ID };
    },
  };
}

/** Every file under `dir`, recursively, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** Uploads `text` as `name` and runs Plan, then Extract → Transform per chunk: Load's event, as the ASL builds it. */
export async function loadEventOf(h: TaskHarness, name: string, text: string) {
  const plan = await makePlanHandler(h.capabilities)(await h.upload(name, text));
  const chunks = [];
  for (const chunk of plan.chunks) {
    const item = { file: plan.file, layout: plan.layout, chunk, executionId: EXECUTION_ID };
    chunks.push(await makeTransformHandler(h.capabilities)({ ...item, extract: await makeExtractHandler(h.capabilities)(item) }));
  }
  return { file: plan.file, chunks, sourceEtag: plan.sourceEtag, duplicateOf: plan.duplicateOf, executionId: EXECUTION_ID };
}
