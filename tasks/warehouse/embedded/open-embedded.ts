/**
 * `pglite://DIR` for any number of processes: the first to take DIR's lock owns it (opens PGlite, serves it on
 * 127.0.0.1, publishes the endpoint in the lock file); every process, the owner included, then uses it as a
 * PostgreSQL server through the pg adapter. When the owner goes away, a client's next call takes the lock itself
 * (released, or stale because its holder died) and becomes the owner.
 * A holder that is starting or stopping is waited for (30 s at most); one that serves nobody is not: the open
 * fails naming it.
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
  /** How long to wait for a holder that is starting (opening PGlite takes seconds) or stopping. */
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
  const waitingSince = Date.now();
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
            lock.stopping();
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
    // Starting or stopping: wait for it to serve, or to let go of the lock, within the grace period.
    const grace = options.startupGraceMs ?? STARTUP_GRACE_MS;
    const waited = Date.now() - (owner.state === 'starting' ? Math.min(Date.parse(owner.startedAt), waitingSince) : waitingSince);
    if (owner.state === 'exclusive' || waited > grace) {
      throw refuse('which serves no endpoint for other processes: stop it, or wait until it is done, then try again');
    }
    await sleep(100);
  }
}
