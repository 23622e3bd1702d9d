/**
 * The owner's server: PGlite on its directory behind pglite-socket's multiplexing server (through the guard that
 * keeps clients from interleaving), on 127.0.0.1 only. Every user of the warehouse, the owner process included,
 * is a PostgreSQL client of it, so all of them take turns in one queue.
 */
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openPglite } from '../pglite';
import type { Endpoint } from './owner-record';
import { guardForSocketServer } from './wire-guard';

export const SERVE_HOST = '127.0.0.1';
/** Each client process holds a pool of up to 10 connections. */
const MAX_CONNECTIONS = 200;

export interface ServedPglite {
  endpoint: Endpoint;
  /** Closes every client's connection (each gets a connection error), then the database. */
  stop(): Promise<void>;
}

export async function servePglite(dataDir: string, port: number): Promise<ServedPglite> {
  const db = await openPglite(dataDir);
  const server = new PGLiteSocketServer({ db: guardForSocketServer(db), host: SERVE_HOST, port, maxConnections: MAX_CONNECTIONS });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const [, actualPort] = /:(\d+)$/.exec(server.getServerConn()) ?? [];
  let stopping: Promise<void> | undefined;
  return {
    endpoint: { host: SERVE_HOST, port: Number(actualPort) },
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await db.close();
      })()),
  };
}
