/**
 * The batch loader as a Lambda on the load queue (an SQS event source with a batching window and a batch size): the
 * messages of one batch are loaded in one warehouse session (batch.ts) and each answered through Step Functions'
 * SendTaskSuccess / SendTaskFailure. It reports batch item failures (ReportBatchItemFailures) only for messages it
 * could not answer at all, so SQS delivers just those again; a file whose load failed was answered with its error.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import * as t from 'io-ts';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { decodeOrThrow } from '../decoding/decode';
import { lambdaHandler } from '../lambda/lambda-handler';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { newMetrics } from '../metrics/port';
import { openRedshiftWarehouse } from '../warehouse/open-redshift';
import { SfnTaskTokens } from '../task-tokens/sfn';
import type { TaskTokens } from '../task-tokens/port';
import { loadBatch, unansweredIds, type BatchResult } from './batch';
import { fileLoader } from './file-loader';

/** The fields of an SQS event the loader reads. */
const SqsEventCodec = t.type({ Records: t.array(t.type({ messageId: t.string, body: t.string })) });

export interface SqsBatchResponse { batchItemFailures: { itemIdentifier: string }[] }

/** Heartbeats while a batch runs: well inside the Load state's HeartbeatSeconds. */
export const LOADER_HEARTBEAT_MS = 60_000;

export function makeBatchLoadHandler(
  capabilities: TaskCapabilities,
  tokens: TaskTokens,
  heartbeatEveryMs = LOADER_HEARTBEAT_MS,
  onBatch: (result: BatchResult) => void = () => undefined,
): (event: unknown) => Promise<SqsBatchResponse> {
  return async (event) => {
    const { Records } = decodeOrThrow(SqsEventCodec, event, 'SQS event');
    const result = await loadBatch(Records.map((r) => ({ id: r.messageId, body: r.body })), {
      tokens,
      load: fileLoader(capabilities, capabilities.telemetry),
      // A warm container keeps its warehouse client; on Redshift the batch's statements run in one Data API session.
      openSession: async (bucket) => {
        const warehouse = await capabilities.warehouse(capabilities.objectStore(bucket));
        return warehouse.session ? warehouse.session() : { warehouse, end: async () => undefined };
      },
      heartbeatEveryMs,
    });
    const keys = { executionId: 'batch', state: 'LoadBatch', fileKey: '' };
    capabilities.telemetry.logger(keys).info('batch loaded', { messages: Records.length, sessions: result.sessions, outcomes: result.outcomes.map(({ id, status, key }) => ({ id, status, key })) });
    // Per batch (each file's own Load metrics are published as Load's): how many files shared how many sessions.
    const metrics = newMetrics('LoadBatch');
    metrics.addMetric('Messages', MetricUnit.Count, Records.length);
    metrics.addMetric('WarehouseSessions', MetricUnit.Count, result.sessions);
    metrics.addMetric('Unanswered', MetricUnit.Count, unansweredIds(result).length);
    capabilities.telemetry.flush(metrics, keys);
    onBatch(result);
    return { batchItemFailures: unansweredIds(result).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

// In AWS the warehouse is Redshift (the stack's WAREHOUSE_URL is redshift-data://…): only its adapter is bundled.
export const handler = lambdaHandler(
  (capabilities) => makeBatchLoadHandler(capabilities, new SfnTaskTokens(new SFNClient({}))),
  { openWarehouse: openRedshiftWarehouse },
);
