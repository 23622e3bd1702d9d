/**
 * PGlite as pglite-socket's multiplexer should see it. PGlite is one PostgreSQL backend; the socket server feeds
 * it the messages of all its clients through one queue, one message at a time, and keeps a client's turn only
 * while `isInTransaction()` (0.2.17). Measured here, that is not enough:
 *  - the extended protocol (Parse, Bind, Execute … Sync: every parameterised query of node-postgres) is several
 *    messages outside any transaction block, and another client's message in between destroys the unnamed
 *    statement or portal (`portal "" does not exist`, wrong results);
 *  - COPY … FROM STDIN handed to PGlite without its CopyData in the same call makes the backend read past its
 *    input and exit: the database is gone ("Program terminated with exit(1)"), for every client.
 * So this proxy (the server calls only waitReady, isInTransaction, runExclusive, execProtocolRawStream and exec):
 *  - reports a client's turn as open until the backend is idle again (ReadyForQuery 'I'), so no client's
 *    messages interleave with another's unfinished query, transaction or COPY;
 *  - answers COPY FROM STDIN with its own CopyInResponse, holds the CopyData until CopyDone or CopyFail, and then
 *    gives PGlite the whole sub-protocol at once (the whole COPY is in memory once, as PGlite's own '/dev/blob'
 *    COPY would hold it);
 *  - refuses COPY FROM STDIN in the extended protocol (no client of ours sends it) with an error, not a crash;
 *  - ends a session (Terminate, or a client gone mid-turn) by rolling back what it left open.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  ReadyScanner, copiesFromClient, copyInResponse, errorResponse, frontendMessage, frontendType, simpleQuery, sqlOf, withoutFirst,
} from './wire-messages';

type Stream = Parameters<PGlite['execProtocolRawStream']>[1];

const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);

export function guardForSocketServer(db: PGlite): PGlite {
  let turnOpen = false;
  let copy: Uint8Array[] | undefined;
  let skipUntilSync = false;

  async function run(message: Uint8Array, stream: Stream): Promise<void> {
    const onRawData = stream?.onRawData ?? (() => undefined);
    const type = frontendType(message);
    if (copy) {
      copy.push(message);
      if (type !== 'c' && type !== 'f') return;
      const whole = Buffer.concat(copy);
      copy = undefined;
      // The client already has our CopyInResponse: drop PGlite's.
      return forward(withoutFirst(await db.execProtocolRaw(whole), 'G'), onRawData);
    }
    if (skipUntilSync && type !== 'S') return;
    skipUntilSync = false;
    const sql = sqlOf(message);
    if (sql !== undefined && copiesFromClient(sql)) {
      turnOpen = true;
      if (type === 'Q') {
        copy = [message];
        onRawData(copyInResponse());
      } else {
        // As PostgreSQL does after an error in the extended protocol: ignore everything up to Sync.
        skipUntilSync = true;
        onRawData(errorResponse('0A000', 'COPY FROM STDIN through the warehouse socket needs the simple query protocol'));
      }
      return;
    }
    if (type === 'X') return endSession();
    const scanner = new ReadyScanner();
    await db.execProtocolRawStream(message, {
      ...stream,
      onRawData: (chunk) => {
        scanner.feed(chunk);
        onRawData(chunk);
      },
    });
    settle(scanner.lastStatus, type);
  }

  function forward(response: Uint8Array, onRawData: (chunk: Uint8Array) => void): void {
    const scanner = new ReadyScanner();
    scanner.feed(response);
    onRawData(response);
    settle(scanner.lastStatus, 'c');
  }

  function settle(status: string | undefined, type: string): void {
    if (status !== undefined) turnOpen = status !== 'I';
    else if (EXTENDED.has(type)) turnOpen = true;
  }

  /** Runs inside the caller's exclusive section: Sync ends any half-sent extended query, then ROLLBACK. */
  async function endSession(): Promise<void> {
    copy = undefined;
    skipUntilSync = false;
    await db.execProtocolRaw(frontendMessage('S'));
    if (db.isInTransaction()) await db.execProtocolRaw(simpleQuery('ROLLBACK'));
    turnOpen = false;
  }

  const overrides = {
    isInTransaction: () => turnOpen,
    execProtocolRawStream: run,
    // The server calls exec('ROLLBACK') only for a client that went away during its turn. When the server stops,
    // it does so without waiting, so the database may be closed by then: closing discarded the transaction.
    exec: async () => {
      if (!db.closed) await db.runExclusive(endSession).catch((error: unknown) => { if (!db.closed) throw error; });
      return [];
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof typeof overrides];
      // PGlite's methods use private fields: call them on PGlite itself, not on the proxy.
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
