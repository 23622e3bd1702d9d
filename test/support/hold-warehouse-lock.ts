/**
 * A process that plays the owner of an embedded warehouse without opening it (run with bin/run-ts.cjs):
 * `hold-warehouse-lock.ts LOCK [exclusive]` takes the lock, with `exclusive` records that it serves nobody, prints
 * `acquired` or `held by <pid>`, and stays up until killed.
 */
import { acquireOwnerLock } from '../../tasks/warehouse/embedded/owner-lock';

const [lockPath, mode] = process.argv.slice(2);

void (async () => {
  const result = await acquireOwnerLock(lockPath!, 'hold-warehouse-lock.ts (a test holding the lock)');
  if (result.kind === 'acquired' && mode === 'exclusive') result.lock.publish(null);
  process.stdout.write(result.kind === 'acquired' ? 'acquired\n' : `held by ${result.owner.pid}\n`);
  setInterval(() => undefined, 60_000);
})();
