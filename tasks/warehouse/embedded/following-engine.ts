/**
 * The SqlEngine of `pglite://DIR`: connected on first use, and following the owner. When a client's connection
 * fails (the owner exited, was killed, or is unreachable), the call fails with a WarehouseUnavailableError naming
 * that owner, and the next call connects afresh, taking ownership if nobody holds the warehouse now. A retried
 * Load (the ASL retries CafeEtl.WarehouseUnavailable) therefore survives its owner going away.
 */
import { WarehouseUnavailableError } from '../../domain/errors';
import type { SqlEngine } from '../sql-engine';
import { connectEmbedded, type Connection, type EmbeddedOptions } from './open-embedded';
import { describeOwner } from './owner-record';

export function followingEngine(dataDir: string, options: EmbeddedOptions): SqlEngine & { connection(): Promise<Connection> } {
  let current: Promise<Connection> | undefined;

  const connection = (): Promise<Connection> => {
    if (!current) {
      const opening = connectEmbedded(dataDir, options);
      current = opening;
      opening.catch(() => {
        if (current === opening) current = undefined;
      });
    }
    return current;
  };

  async function using<T>(work: (engine: SqlEngine) => Promise<T>): Promise<T> {
    const opening = connection();
    const connected = await opening;
    try {
      return await work(connected.engine);
    } catch (error) {
      if (connected.role !== 'client' || !(error instanceof WarehouseUnavailableError)) throw error;
      if (current === opening) current = undefined;
      void connected.close().catch(() => undefined);
      throw new WarehouseUnavailableError(
        `${error.message} (the warehouse's owner, ${describeOwner(connected.owner)}, at ${connected.url}, ` +
          'went away or cannot be reached; the next attempt takes the warehouse over if it is free)',
        { cause: error },
      );
    }
  }

  return {
    connection,
    query: (sql, params) => using((engine) => engine.query(sql, params)),
    transaction: (work) => using((engine) => engine.transaction(work)),
    close: async () => {
      const opened = current;
      current = undefined;
      const connected = await opened?.catch(() => undefined);
      await connected?.close();
    },
  };
}
