/**
 * The exported Lambda `handler` of each task: its factory over the AWS capabilities, built on the first
 * invocation of a container (the cold start) and reused while it stays warm. Built lazily so that importing a
 * handler module (the local runner, tests) never reads the Lambda environment, and the AWS wiring (the S3 client,
 * the EMF logger) is loaded only then: the local runner and each of its task workers imported it at start for
 * nothing (~55 ms of module loading per thread).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { TaskCapabilities } from '../capabilities/capabilities';
import type { AwsCapabilityOptions } from '../capabilities/aws';

/** `options`: what the task needs beyond the defaults (Load and Migrate: the Redshift warehouse). */
export function lambdaHandler<O>(
  make: (capabilities: TaskCapabilities) => (event: unknown) => Promise<O>,
  options: AwsCapabilityOptions = {},
): (event: unknown) => Promise<O> {
  let built: ((event: unknown) => Promise<O>) | undefined;
  return (event) => {
    built ??= make((require('../capabilities/aws') as typeof import('../capabilities/aws')).awsCapabilities(process.env, options));
    return built(event);
  };
}
