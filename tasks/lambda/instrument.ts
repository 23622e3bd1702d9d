/**
 * The one wrapper every task handler runs inside: counts the invocation, times it, publishes the row and byte
 * counts its manifest reports, counts an error (and still publishes) when it throws, and logs start and end.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { newMetrics, type InvocationKeys, type Telemetry } from '../metrics/port';

/** The counts a task's manifest may carry; each one present becomes a metric. */
export interface ManifestCounts {
  rowsIn?: number;
  rowsOut?: number;
  rowsRejected?: number;
  bytesRead?: number;
}

const COUNT_METRICS = [
  ['rowsIn', 'RowsIn', MetricUnit.Count],
  ['rowsOut', 'RowsOut', MetricUnit.Count],
  ['rowsRejected', 'RowsRejected', MetricUnit.Count],
  ['bytesRead', 'BytesRead', MetricUnit.Bytes],
] as const;

export async function instrumented<T extends ManifestCounts>(
  telemetry: Telemetry,
  keys: InvocationKeys,
  work: (logger: Logger) => Promise<T>,
  now: () => number = () => performance.now(),
): Promise<T> {
  const metrics = newMetrics(keys.state);
  const logger = telemetry.logger(keys);
  const started = now();
  metrics.addMetric('Invocations', MetricUnit.Count, 1);
  logger.info('task started');
  try {
    const manifest = await work(logger);
    metrics.addMetric('Errors', MetricUnit.Count, 0);
    for (const [field, name, unit] of COUNT_METRICS) {
      const value = manifest[field];
      if (typeof value === 'number') metrics.addMetric(name, unit, value);
    }
    logger.info('task succeeded', { rowsIn: manifest.rowsIn, rowsOut: manifest.rowsOut, rowsRejected: manifest.rowsRejected });
    return manifest;
  } catch (error) {
    metrics.addMetric('Errors', MetricUnit.Count, 1);
    // Name and message only: core errors describe what went wrong without quoting row content.
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    logger.error('task failed', { errorName: name, errorMessage: message });
    throw error;
  } finally {
    metrics.addMetric('DurationMs', MetricUnit.Milliseconds, Math.round(now() - started));
    telemetry.flush(metrics, keys);
  }
}
