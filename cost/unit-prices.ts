/**
 * Every unit price the cost model (`npm run cost`) uses, in one place: AWS on-demand list prices for us-east-1
 * (US East, N. Virginia), in US dollars, as published on each service's pricing page (the `source` beside each),
 * checked 2026-12. Free tiers are left out on purpose: the model prices the usage, not this month's bill.
 * Where the project's reference search held the AWS documentation page, the price's rule was confirmed there
 * (noted as "docs"); the figures themselves are the pricing pages' well-known list prices.
 */

export const PRICES_REGION = 'us-east-1';
export const PRICES_CHECKED = '2026-12';

/** Hours in a billing month, as AWS's pricing pages count them (monthly prices are per 730 hours). */
export const HOURS_PER_MONTH = 730;

export interface UnitPrice {
  /** US dollars per `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly note?: string;
}

const price = (usd: number, unit: string, source: string, note?: string): UnitPrice =>
  note === undefined ? { usd, unit, source } : { usd, unit, source, note };

export const PRICES = {
  /** Standard workflows: $0.025 per 1,000 state transitions. */
  stepFunctionsTransition: price(0.025 / 1000, 'state transition', 'https://aws.amazon.com/step-functions/pricing/',
    'docs (concepts-transitions): a Distributed Map is charged one transition per child workflow execution it starts, ' +
    'plus the child\'s own transitions; a redrive and every state it re-runs count as transitions'),
  /** Lambda on arm64 (Graviton), first pricing tier: $0.0000133334 per GB-second. */
  lambdaArmGbSecond: price(0.0000133334, 'GB-second (arm64)', 'https://aws.amazon.com/lambda/pricing/',
    'duration is billed per 1 ms; since 2025-08-01 the INIT phase of on-demand functions is billed too'),
  /** $0.20 per million requests. */
  lambdaRequest: price(0.2 / 1_000_000, 'request', 'https://aws.amazon.com/lambda/pricing/'),
  /** Redshift Serverless compute: $0.375 per RPU-hour, per second, 60-second minimum charge. */
  redshiftServerlessRpuHour: price(0.375, 'RPU-hour', 'https://aws.amazon.com/redshift/pricing/',
    'docs (SYS_SERVERLESS_USAGE): metered for the workloads run, in RPU-seconds on a per-second basis'),
  /** Redshift managed storage: $0.024 per GB-month. */
  redshiftManagedStorageGbMonth: price(0.024, 'GB-month', 'https://aws.amazon.com/redshift/pricing/'),
  /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000 requests. */
  s3PutRequest: price(0.005 / 1000, 'PUT/COPY/POST/LIST request', 'https://aws.amazon.com/s3/pricing/'),
  /** S3 Standard GET, SELECT and all other requests (HEAD included): $0.0004 per 1,000 requests. */
  s3GetRequest: price(0.0004 / 1000, 'GET/HEAD request', 'https://aws.amazon.com/s3/pricing/'),
  /** S3 Standard storage, first 50 TB: $0.023 per GB-month. */
  s3StandardGbMonth: price(0.023, 'GB-month', 'https://aws.amazon.com/s3/pricing/'),
  /** SQS standard queues: $0.40 per million requests (each 64 KB chunk of a payload is one request). */
  sqsRequest: price(0.4 / 1_000_000, 'request', 'https://aws.amazon.com/sqs/pricing/'),
  /**
   * EventBridge: events published by AWS services (S3 "Object Created", Step Functions status changes) to the
   * default bus are free; only custom, partner and cross-account events are charged ($1.00 per million).
   */
  eventBridgeAwsServiceEvent: price(0, 'AWS service event on the default bus', 'https://aws.amazon.com/eventbridge/pricing/'),
  /** CloudWatch standard-resolution metric alarm: $0.10 per alarm-month. */
  cloudWatchAlarmMonth: price(0.1, 'alarm-month', 'https://aws.amazon.com/cloudwatch/pricing/'),
  /** CloudWatch dashboard: $3.00 per dashboard-month (the first 3 are in the free tier, left out here). */
  cloudWatchDashboardMonth: price(3, 'dashboard-month', 'https://aws.amazon.com/cloudwatch/pricing/'),
  /** CloudWatch custom metric (the EMF metrics), first 10,000: $0.30 per metric-month. */
  cloudWatchCustomMetricMonth: price(0.3, 'metric-month', 'https://aws.amazon.com/cloudwatch/pricing/'),
  /** KMS customer managed key: $1.00 per key-month. */
  kmsKeyMonth: price(1, 'key-month', 'https://aws.amazon.com/kms/pricing/'),
  /** Secrets Manager: $0.40 per secret-month. */
  secretsManagerSecretMonth: price(0.4, 'secret-month', 'https://aws.amazon.com/secrets-manager/pricing/'),
  /** Secrets Manager API calls: $0.05 per 10,000. */
  secretsManagerApiCall: price(0.05 / 10_000, 'API call', 'https://aws.amazon.com/secrets-manager/pricing/'),
} as const satisfies Record<string, UnitPrice>;

export type PriceName = keyof typeof PRICES;
