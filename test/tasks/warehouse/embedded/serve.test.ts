/**
 * PGlite served through pglite-socket and the wire guard, with node-postgres clients in this process. Without the
 * guard, the first two cases fail: concurrent parameterised transactions interleave (`portal "" does not exist`),
 * and COPY FROM STDIN kills the database.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { endpointUrl } from '../../../../tasks/warehouse/embedded/owner-record';
import { servePglite, type ServedPglite } from '../../../../tasks/warehouse/embedded/serve';
import { homeWithWarehouse } from '../../../support/warehouse-template';

let served: ServedPglite;
const clients: pg.Client[] = [];

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: endpointUrl(served.endpoint) });
  c.on('error', () => undefined); // a client the test cuts off
  await c.connect();
  clients.push(c);
  return c;
}

async function copyCsv(c: pg.Client, sql: string, chunks: string[]): Promise<number> {
  const copy = c.query(copyFrom(sql));
  await pipeline(Readable.from(chunks), copy);
  return copy.rowCount;
}

beforeAll(async () => {
  served = await servePglite(path.join(await homeWithWarehouse('serve-'), 'warehouse'), 0);
  const setup = await client();
  await setup.query('CREATE TABLE t (a int, b text)');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await served.stop();
});

describe('PGlite served to several clients', () => {
  it('keeps concurrent parameterised transactions apart', async () => {
    const writers = await Promise.all([1, 2, 3, 4].map(() => client()));
    await Promise.all(writers.map(async (c, k) => {
      for (let j = 0; j < 15; j++) {
        await c.query('BEGIN');
        await c.query('INSERT INTO t VALUES ($1, $2)', [j, `writer-${k}`]);
        const [row] = (await c.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM t WHERE b = $1', [`writer-${k}`])).rows;
        expect(row!.n).toBe(j + 1);
        await c.query('COMMIT');
        expect((await c.query<{ x: number }>('SELECT $1::int + 1 AS x', [j])).rows).toEqual([{ x: j + 1 }]);
      }
    }));
  });

  it('takes COPY FROM STDIN in chunks from several clients at once, each in its own transaction', async () => {
    const loaders = await Promise.all([1, 2, 3].map(() => client()));
    const copied = await Promise.all(loaders.map(async (c, k) => {
      await c.query('BEGIN');
      const chunks = Array.from({ length: 4 }, (_, p) => Array.from({ length: 500 }, (_, i) => `${p * 500 + i},copy-${k}\n`).join(''));
      const rows = await copyCsv(c, 'COPY t FROM STDIN WITH (FORMAT csv)', chunks);
      await c.query('COMMIT');
      return rows;
    }));
    expect(copied).toEqual([2000, 2000, 2000]);
    const check = await client();
    expect((await check.query("SELECT b, COUNT(*)::int AS n FROM t WHERE b LIKE 'copy-%' GROUP BY b ORDER BY b")).rows)
      .toEqual([0, 1, 2].map((k) => ({ b: `copy-${k}`, n: 2000 })));
  });

  it('reports a failing COPY to its client and keeps serving', async () => {
    const c = await client();
    await expect(copyCsv(c, 'COPY missing FROM STDIN WITH (FORMAT csv)', ['1,x\n'])).rejects.toThrow(/relation "missing" does not exist/);
    await expect(copyCsv(c, 'COPY t FROM STDIN WITH (FORMAT csv)', ['not a number,x\n'])).rejects.toThrow(/invalid input syntax for type integer/);
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses COPY FROM STDIN in the extended protocol instead of crashing', async () => {
    const c = await client();
    await expect(c.query({ text: 'COPY t FROM STDIN', values: [], queryMode: 'extended' } as pg.QueryConfig)).rejects.toThrow(/needs the simple query protocol/);
    expect((await c.query('SELECT $1::text AS still', ['here'])).rows).toEqual([{ still: 'here' }]);
  });

  it('rolls back what a client that went away left open, and lets the others on', async () => {
    const [leaver, other] = [await client(), await client()];
    await leaver.query('BEGIN');
    await leaver.query("INSERT INTO t VALUES (1, 'left behind')");
    // Waits: the leaver's transaction has the turn.
    const waiting = other.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM t WHERE b = 'left behind'");
    leaver.connection.stream.destroy();
    expect((await waiting).rows).toEqual([{ n: 0 }]);
  });
});
