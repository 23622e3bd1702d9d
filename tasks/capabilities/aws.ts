/**
 * The production wiring in Lambda: S3 for the bucket an event names, the warehouse of `WAREHOUSE_URL`
 * (Redshift through the Data API in the stack), EMF metrics and JSON logs on stdout. The warehouse is opened by
 * what the handler passes (Load and Migrate: open-redshift.ts), so a task that uses none (Plan, Extract,
 * Transform) bundles no warehouse code at all.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { lambdaTelemetry } from '../metrics/emf';
import { S3ObjectStore } from '../object-store/s3';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from '../warehouse/port';
import { InvalidInputError } from '../domain/errors';
import type { OpenWarehouse, TaskCapabilities } from './capabilities';
import { memoiseAsync } from './memoise';
import { settingsFromEnvironment } from './settings';

export interface AwsCapabilityOptions {
  s3?: S3Client;
  /** How this task opens `WAREHOUSE_URL`; without it the task has no warehouse (a call is a programming error). */
  openWarehouse?: OpenWarehouse;
}

export function awsCapabilities(env: Readonly<Record<string, string | undefined>>, options: AwsCapabilityOptions = {}): TaskCapabilities {
  const { s3 = new S3Client({}), openWarehouse = noWarehouse } = options;
  const settings = settingsFromEnvironment(env);
  const stores = new Map<string, ObjectStore>();
  const warehouses = memoiseAsync<Warehouse>();
  const objectStore = (bucket: string): ObjectStore => {
    let store = stores.get(bucket);
    if (!store) stores.set(bucket, (store = new S3ObjectStore(s3, bucket)));
    return store;
  };
  return {
    settings,
    telemetry: lambdaTelemetry,
    objectStore,
    warehouse: (staging) => {
      const url = settings.warehouseUrl;
      if (!url) return Promise.reject(new InvalidInputError('WAREHOUSE_URL is not set in this function\'s environment'));
      return warehouses(staging?.bucket ?? '', () => openWarehouse(url, staging));
    },
  };
}

const noWarehouse: OpenWarehouse = () =>
  Promise.reject(new InvalidInputError('this task was built without a warehouse (only Load and Migrate open one)'));
