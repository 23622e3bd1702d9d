/**
 * The stack's sizing numbers, in a module with no imports, so the cost model (`cost/`) reads the very numbers the
 * stack deploys without loading aws-cdk-lib.
 */

/** The smallest base capacity Redshift Serverless accepts (RPUs): the workgroup's `baseCapacity`. */
export const BASE_CAPACITY_RPU = 8;

/** Memory (MB) of each task's Lambda function. */
export const TASK_MEMORY_MB = {
  // Reads the whole file once (SHA-256 and line boundaries): streaming, so memory buys CPU, not space.
  plan: 1024,
  // A 64 MiB range parsed whole peaks near 140 MB of heap; 1769 MB is one full vCPU.
  extract: 1769,
  transform: 1024,
  // Mostly waiting on the Data API (a paused workgroup takes a while to resume): little memory, long timeout.
  load: 512,
  migrate: 512,
} as const;

/** Lambda's largest timeout, which the Load task uses (seconds). */
export const LOAD_TIMEOUT_SECONDS = 15 * 60;

/** Byte size of the ranges Plan splits a file into, unless the `chunkBytes` context says otherwise. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

/** SQS event sources take a batching window of at most 300 s. */
export const MAX_LOAD_WINDOW_SECONDS = 300;
/** The batch loader's defaults: four minutes of gathering leave a minute for the pipeline and the load itself. */
export const DEFAULT_LOAD_WINDOW_SECONDS = 240;
export const DEFAULT_LOAD_BATCH_SIZE = 10;
