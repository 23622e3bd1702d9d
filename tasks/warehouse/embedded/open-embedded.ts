/**
 * `pglite://DIR` for any number of processes: the first to take DIR's lock owns it (opens PGlite, serves it on
 * 127.0.0.1, publishes the endpoint in the lock file); every process, the owner included, then uses it as a
 * PostgreSQL server through the pg adapter. When the owner goes away, a client's next call takes the lock itself
 * (released, or stale because its holder died) and becomes the owner.
 * A holder that serves nobody, or has been starting for too long, is not waited for: the open fails naming it.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WarehouseUnavailableError } from '../../domain/errors';
import { openPostgresEngine } from '../postgres';
import type { SqlEngine } from '../sql-engine';
import { acquireOwnerLock, lockPathOf } from './owner-lock';
import { describeOwner, endpointUrl, type OwnerRecord } from './owner-record';
import { servePglite } from './serve';

export interface EmbeddedOptions {
  /** The command line recorded in the lock, for whoever finds it held. */
  command: string;
  /** The owner's port (0: any free one). */
  port?: number;
  /** `warehouse serve`: own the warehouse or fail, never be a client. */
  mustOwn?: boolean;
  /** How long a holder may take from taking the lock to serving (opening PGlite takes seconds). */
  startupGraceMs?: number;
}

export interface Connection {
  engine: SqlEngine;
  role: 'owner' | 'client';
  /** The owner: this process's record, or the owner it connected to. */
  owner: OwnerRecord;
  url: string;
  close(): Promise<void>;
}

/** Connecting waits for the server's turn, which a load of a large file holds for a while. */
const CONNECT_TIMEOUT_MS = 60_000;
const STARTUP_GRACE_MS = 30_000;

export async function connectEmbedded(dataDir: string, options: EmbeddedOptions): Promise<Connection> {
  const lockPath = lockPathOf(dataDir);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (;;) {
    const acquisition = await acquireOwnerLock(lockPath, options.command);
    if (acquisition.kind === 'acquired') {
      const { lock } = acquisition;
      try {
        const served = await servePglite(dataDir, options.port ?? 0);
        lock.publish(served.endpoint);
        const url = endpointUrl(served.endpoint);
        const engine = openPostgresEngine(url, { connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
        return {
          engine, role: 'owner', owner: lock.record, url,
          close: async () => {
            await engine.close();
            await served.stop();
            lock.release();
          },
        };
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    const { owner } = acquisition;
    const refuse = (why: string) =>
      new WarehouseUnavailableError(`the embedded warehouse ${dataDir} is owned by ${describeOwner(owner)}, ${why}`);
    if (options.mustOwn) {
      throw refuse(owner.endpoint ? `serving it at ${endpointUrl(owner.endpoint)}: connect there, or stop that process first` : 'stop that process first');
    }
    if (owner.state === 'serving' && owner.endpoint) {
      const url = endpointUrl(owner.endpoint);
      const engine = openPostgresEngine(url, { connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      return { engine, role: 'client', owner, url, close: () => engine.close() };
    }
    const startedFor = Date.now() - Date.parse(owner.startedAt);
    if (owner.state === 'exclusive' || startedFor > (options.startupGraceMs ?? STARTUP_GRACE_MS)) {
      throw refuse('which serves no endpoint for other processes: stop it, or wait until it is done, then try again');
    }
    await sleep(100);
  }
}
