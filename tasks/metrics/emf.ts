/** Telemetry in Lambda: EMF metric documents and JSON logs on stdout, which CloudWatch reads. */
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME, type Telemetry } from './port';

export const lambdaTelemetry: Telemetry = {
  logger: (keys) => new Logger({ serviceName: SERVICE_NAME, persistentKeys: { ...keys } }),
  flush: (metrics) => {
    metrics.publishStoredMetrics();
  },
};
