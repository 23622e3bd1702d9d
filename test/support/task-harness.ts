/** Task handlers over a temporary home: the local bucket, telemetry captured to files, an in-memory PGlite warehouse. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localTelemetry } from '../../tasks/metrics/local';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { localCapabilities, type LocalCapabilities } from '../../tasks/capabilities/local';
import { DEFAULT_CHUNK_BYTES } from '../../tasks/capabilities/settings';

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
