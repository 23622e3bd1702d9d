/**
 * The real Extract and Transform handlers over every chunk of a planned file, as the Map's iterations run them: in
 * `home`, whose bucket holds the upload under UPLOAD_KEY (bench:worker-heap, bench:map-work).
 */
import * as path from 'node:path';
import type { FilePlan } from '../tasks/plan/plan-file';
import { LOCAL_CHUNK_BYTES, localCapabilities } from '../tasks/capabilities/local';
import { makeExtractHandler } from '../tasks/extract/handler';
import { makeTransformHandler } from '../tasks/transform/handler';
import { localTelemetry } from '../tasks/metrics/local';
import { LocalObjectStore } from '../tasks/object-store/local';
import { LOCAL_BUCKET } from '../workflows/targets/local-bucket';

export const UPLOAD_KEY = 'raw/bench/bench.csv';
const EXECUTION_ID = 'arn:aws:states:us-east-1:000000000000:execution:CafeEtl:bench';

/** One pass: Extract then Transform of each chunk in turn (each pass stages under the same keys). */
export function handlersOverFile(home: string, plan: FilePlan): () => Promise<void> {
  const capabilities = localCapabilities({
    bucket: new LocalObjectStore(path.join(home, 'bucket'), LOCAL_BUCKET),
    warehouseUrl: `pglite://${path.join(home, 'warehouse')}`, // never opened: Extract and Transform do not load
    telemetry: localTelemetry(home),
    settings: { chunkBytes: LOCAL_CHUNK_BYTES, maxRejectedShare: 0.5 },
  });
  const extract = makeExtractHandler(capabilities);
  const transform = makeTransformHandler(capabilities);
  const file = { bucket: LOCAL_BUCKET, key: UPLOAD_KEY, size: plan.size, sha256: plan.sha256 };
  return async () => {
    for (const chunk of plan.chunks) {
      const event = { file, layout: plan.layout, chunk, executionId: EXECUTION_ID };
      await transform({ ...event, extract: await extract(event) });
    }
  };
}
