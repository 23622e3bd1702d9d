/**
 * The exported Lambda `handler` of each task: its factory over the AWS capabilities, built on the first
 * invocation of a container (the cold start) and reused while it stays warm. Built lazily so that importing a
 * handler module (the local runner, tests) never reads the Lambda environment.
 */
import type { TaskCapabilities } from '../capabilities/capabilities';
import { awsCapabilities } from '../capabilities/aws';

export function lambdaHandler<O>(
  make: (capabilities: TaskCapabilities) => (event: unknown) => Promise<O>,
  capabilities: () => TaskCapabilities = () => awsCapabilities(process.env),
): (event: unknown) => Promise<O> {
  let built: ((event: unknown) => Promise<O>) | undefined;
  return (event) => {
    built ??= make(capabilities());
    return built(event);
  };
}
