/**
 * What a task handler may touch, injected by whoever builds it: the Lambda wiring (aws.ts) or the local runner
 * (local.ts). Handlers never construct an adapter themselves.
 */
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from '../warehouse/port';
import type { Telemetry } from '../metrics/port';
import type { TaskSettings } from './settings';

/** Opens the warehouse of a URL, reading staged objects from `staging` (omitted: no loads through it). */
export type OpenWarehouse = (url: string, staging?: ObjectStore) => Promise<Warehouse>;

export interface TaskCapabilities {
  settings: TaskSettings;
  telemetry: Telemetry;
  /** The store for the bucket an event names (the raw bucket: raw/, staging/ and rejected/ prefixes). */
  objectStore(bucket: string): ObjectStore;
  /**
   * The warehouse, reading staged objects from `staging` (omitted: a warehouse for migrations only). Opened once
   * and kept, so a warm Lambda (or the local runner) reuses its connection.
   */
  warehouse(staging?: ObjectStore): Promise<Warehouse>;
}
