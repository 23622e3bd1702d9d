/**
 * The load queue: the Load state sends each file's request with its task token here
 * (`sqs:sendMessage.waitForTaskToken`), and the batch loader, a Lambda on it with a batching window and a batch size,
 * loads a batch in one warehouse session and answers every token. SSE-SQS and TLS only, like every queue of the stack;
 * a message the loader could not answer at all (it reports those as batch item failures) comes back, and after
 * MAX_RECEIVES deliveries lands in the queue's own dead-letter queue, which alarms.
 */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

import { DEFAULT_LOAD_BATCH_SIZE, DEFAULT_LOAD_WINDOW_SECONDS, MAX_LOAD_WINDOW_SECONDS } from './sizing';

export { DEFAULT_LOAD_BATCH_SIZE, DEFAULT_LOAD_WINDOW_SECONDS, MAX_LOAD_WINDOW_SECONDS };
/** A standard queue's event source takes batches of up to 10,000 messages (above 10 only with a window). */
const MAX_BATCH_SIZE = 10_000;
/** AWS: set the source queue's visibility timeout to at least six times the function's timeout. */
export const VISIBILITY_PER_LOADER_TIMEOUT = 6;
/** Deliveries of an unanswerable message before it is dead-lettered. */
export const MAX_RECEIVES = 5;

export interface LoadBatching {
  /** MaximumBatchingWindowInSeconds: how long the first message of a batch waits for others (0–300). */
  windowSeconds: number;
  /** BatchSize: the most messages in one batch. */
  batchSize: number;
}

/** The window and batch size given as context, checked against what SQS event sources accept. */
export function loadBatchingOf(given: Partial<LoadBatching>): LoadBatching {
  const windowSeconds = given.windowSeconds ?? DEFAULT_LOAD_WINDOW_SECONDS;
  const batchSize = given.batchSize ?? DEFAULT_LOAD_BATCH_SIZE;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 0 || windowSeconds > MAX_LOAD_WINDOW_SECONDS) {
    throw new Error(`context loadWindowSeconds must be a whole number of seconds from 0 to ${MAX_LOAD_WINDOW_SECONDS}, got ${windowSeconds}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new Error(`context loadBatchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
  }
  if (batchSize > 10 && windowSeconds === 0) throw new Error('context loadBatchSize above 10 needs a loadWindowSeconds above 0 (an SQS event source rule)');
  return { windowSeconds, batchSize };
}

export interface LoadQueueProps {
  /** The loader's timeout: the queue's visibility timeout is six times it. */
  loaderTimeout: Duration;
}

export class LoadQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: LoadQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      description: 'load requests the batch loader could not answer at all',
      fedByRedrivePolicy: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.loaderTimeout.toSeconds() * VISIBILITY_PER_LOADER_TIMEOUT),
      deadLetterQueue: { queue: this.deadLetterQueue.queue, maxReceiveCount: MAX_RECEIVES },
    });
  }

  /** Makes `loader` the queue's consumer: batches of `batching`, reporting batch item failures. */
  feed(loader: lambda.IFunction, batching: LoadBatching): SqsEventSource {
    const source = new SqsEventSource(this.queue, {
      batchSize: batching.batchSize,
      maxBatchingWindow: Duration.seconds(batching.windowSeconds),
      reportBatchItemFailures: true,
    });
    loader.addEventSource(source);
    return source;
  }
}
