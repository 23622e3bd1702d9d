/**
 * A throw-away PostgreSQL 15 server for tests and benchmarks: initdb into a temporary directory, start
 * `postgres` on a free port with its socket in that directory, halt and restart it (a warehouse that goes down and
 * comes back), stop it and delete everything afterwards.
 * initdb refuses to run as root, so as root the server runs as the `postgres` system user (created if the
 * machine lacks it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import type { Tool } from './requirements';

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  port: number;
  /** Connection string of a database on this server (`postgres` unless named). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Shuts the server down, keeping its data: connections are refused until restart(). */
  halt(): Promise<void>;
  /** Starts a halted server again, on the same port with the same data. */
  restart(): Promise<void>;
  /** Shuts the server down and deletes its data. */
  stop(): Promise<void>;
}

export function postgresAvailable(): boolean {
  return fs.existsSync(path.join(POSTGRES_BIN, 'initdb'));
}

/** What the PostgreSQL suites need (test/support/requirements.ts: missing, they fail unless allowed to skip). */
export const POSTGRES_15: Tool = {
  name: `PostgreSQL 15 (${path.join(POSTGRES_BIN, 'initdb')})`,
  install: "install Debian's postgresql-15 (apt-get install postgresql-15) or point POSTGRES_BIN at its bin directory",
  present: postgresAvailable,
};

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): string | undefined => {
    try {
      return execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim() + ':' + execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  let ids = lookup();
  if (!ids) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    ids = lookup();
  }
  const [uid, gid] = ids!.split(':').map(Number);
  return { uid: uid!, gid: gid! };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Durability settings off by default (tests); the benchmark passes `{ durable: true }`. With `dataDir` the data
 * outlives the server (a benchmark's cached warehouse): initdb only when the directory holds no cluster yet, and
 * stop() keeps it.
 */
export async function startPostgres(options: { durable?: boolean; dataDir?: string } = {}): Promise<PostgresServer> {
  const user = runAs();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-pg-'));
  const dataDir = options.dataDir ?? path.join(root, 'data');
  if (user) fs.chownSync(root, user.uid, user.gid);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (options.dataDir) {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (user) fs.chownSync(dataDir, user.uid, user.gid);
    }
    execFileSync(path.join(POSTGRES_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], {
      stdio: 'pipe',
      ...(user ?? {}),
    });
  }
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${root}`, 'max_connections=50', 'shared_buffers=128MB'];
  if (!options.durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const url = (database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;

  /** Starts `postgres` on the data directory and waits until it takes connections. */
  const launch = async (): Promise<{ child: ChildProcess; exited: Promise<void> }> => {
    const child: ChildProcess = spawn(path.join(POSTGRES_BIN, 'postgres'), ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(user ?? {}),
    });
    let log = '';
    child.stderr?.on('data', (data: Buffer) => { log = (log + data.toString()).slice(-4000); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new pg.Client({ connectionString: url() });
      try {
        await client.connect();
        await client.end();
        return { child, exited };
      } catch (error) {
        await client.end().catch(() => undefined);
        if (child.exitCode !== null || Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`PostgreSQL did not start: ${String(error)}\n${log}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  /** Fast shutdown (disconnects clients, no waiting for them); the data directory stays. */
  const shutDown = async ({ child, exited }: { child: ChildProcess; exited: Promise<void> }): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  let running: { child: ChildProcess; exited: Promise<void> } | undefined;
  try {
    running = await launch();
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async halt() {
      if (running) await shutDown(running);
      running = undefined;
    },
    async restart() {
      running ??= await launch();
    },
    async stop() {
      if (running) await shutDown(running);
      running = undefined;
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
