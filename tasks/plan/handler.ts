/**
 * Plan: one streaming pass over the uploaded object (SHA-256, layout, line-aligned byte ranges). A file no layout
 * matches (not a cafe export, or columns that do not look like what they claim) fails fast here with
 * CafeEtl.NotCafeExport: no chunk is extracted, nothing is staged. Content already loaded from another upload is
 * named in `duplicateOf`, and the state machine takes it straight to Load's duplicate report.
 */
import * as t from 'io-ts';
import { instrumented } from '../lambda/instrument';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { planFile } from './plan-file';
import { InvalidInputError, NotCafeExportError } from '../domain/errors';
import { decodeOrThrow } from '../decoding/decode';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { type PlanOutput } from '../file-in-flight/manifests';
import { NonEmptyStringCodec } from '../decoding/refined';
import { chunkBytesFor } from './chunk-size';
import { loadedCopyOf } from '../file-in-flight/content-markers';

/** The ASL's Parameters for Plan: the execution input plus the execution id. */
export const PlanEventCodec = t.type({ bucket: NonEmptyStringCodec, key: NonEmptyStringCodec, executionId: NonEmptyStringCodec });

export function makePlanHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<PlanOutput> {
  return (event) =>
    instrumented(capabilities.telemetry, invocationKeysOf(event, 'Plan'), async () => {
      const { bucket, key } = decodeOrThrow(PlanEventCodec, event, 'Plan event');
      const store = capabilities.objectStore(bucket);
      const head = await store.head(key);
      if (!head) throw new InvalidInputError(`object '${key}' is not in bucket '${bucket}'`);
      const { saleYears } = capabilities.settings;
      const targetChunkBytes = chunkBytesFor(head.size, capabilities.settings.chunkBytes);
      const plan = await planFile(store.read(key), { targetChunkBytes, ...(saleYears ? { saleYears } : {}) });
      if (!plan.layout) {
        throw new NotCafeExportError(`not a cafe export: no known layout matches the start of '${key}' (sales that decode, in a column of few branches)`);
      }
      const file = { bucket, key, size: plan.size, sha256: plan.sha256 };
      return {
        file,
        layout: plan.layout,
        chunks: plan.chunks,
        bytesRead: plan.size,
        sourceEtag: head.etag,
        duplicateOf: await loadedCopyOf(file, (b) => capabilities.objectStore(b)),
      };
    });
}

export const handler = lambdaHandler(makePlanHandler);
