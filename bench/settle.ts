/**
 * Flushing one benchmark side's writes before the next side runs (bench:pipeline, bench:checkouts).
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { PostgresServer } from '../test/support/postgres-server';

/**
 * Before each side, untimed: the previous side's writes are flushed (a server CHECKPOINT, then the OS's dirty pages),
 * so that no side pays for the one before it: without it, into PostgreSQL, a run right after a baseline's load took
 * 2.95-3.30 s and one after another run 2.56-2.78 s.
 */
export async function settle(server: PostgresServer | undefined): Promise<void> {
  if (server) {
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    try {
      await client.query('CHECKPOINT');
    } finally {
      await client.end();
    }
  }
  spawnSync('sync');
}

