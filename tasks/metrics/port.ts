/**
 * The metrics port: telemetry for one task invocation, Powertools Metrics (EMF, namespace `CafeEtl`, dimension
 * `State`) and a Powertools Logger carrying the execution id, the state and the file key. Where the output goes is
 * the only difference between Lambda (stdout, which CloudWatch reads: emf.ts) and a laptop (files under the home
 * directory: local.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'CafeEtl';
export const SERVICE_NAME = 'cafe-etl';

/** What every log line and metric document of an invocation is tagged with: pointers, never row content. */
export interface InvocationKeys {
  executionId: string;
  state: string;
  fileKey: string;
}

export interface Telemetry {
  logger(keys: InvocationKeys): Logger;
  /** Emits the metrics stored on `metrics` and clears them. */
  flush(metrics: Metrics, keys: InvocationKeys): void;
}

export function newMetrics(state: string): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  metrics.addDimension('State', state);
  return metrics;
}
