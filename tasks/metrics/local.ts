/**
 * Telemetry on a laptop: the EMF documents a Lambda would print go to `<home>/metrics/<execution>.jsonl`, the
 * log lines to `<home>/logs/<execution>.jsonl`, one JSON document per line, so a run leaves what CloudWatch
 * would have shown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME, type InvocationKeys, type Telemetry } from './port';

type LoggerOptions = ConstructorParameters<typeof Logger>[0];
type LogItem = Parameters<Logger['printLog']>[1];

/** The file for an execution: named after the execution (the last part of its ARN). */
function fileFor(dir: string, executionId: string): string {
  const name = executionId.slice(executionId.lastIndexOf(':') + 1).replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  return path.join(dir, `${name}.jsonl`);
}

function appendLine(file: string, line: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // One small append per line: whole lines even when several invocations write to the file at once.
  fs.appendFileSync(file, `${line}\n`);
}

/** A Powertools Logger whose lines go to a file instead of the console. */
class FileLogger extends Logger {
  constructor(private readonly file: string, options: LoggerOptions) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    appendLine(this.file, JSON.stringify(log.getAttributes()));
  }
}

export function localTelemetry(home: string): Telemetry {
  const metricsDir = path.join(home, 'metrics');
  const logsDir = path.join(home, 'logs');
  return {
    logger: (keys: InvocationKeys) =>
      new FileLogger(fileFor(logsDir, keys.executionId), { serviceName: SERVICE_NAME, persistentKeys: { ...keys } }),
    flush: (metrics: Metrics, keys: InvocationKeys) => {
      appendLine(fileFor(metricsDir, keys.executionId), JSON.stringify(metrics.serializeMetrics()));
      metrics.clearMetrics();
    },
  };
}
