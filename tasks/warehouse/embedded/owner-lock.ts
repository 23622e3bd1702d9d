/**
 * The lock that makes one process the owner of an embedded warehouse directory: a JSON file (`<dir>.lock`) naming
 * the holder. Every write is a whole file made elsewhere and then linked or renamed into place, so a reader never
 * sees half a record, and:
 *  - taking a free lock is `link(tmp, lock)`: atomic, fails if anyone holds it;
 *  - a lock whose holder is dead (PID gone, or reused by a process that started at another time) is stale. It is
 *    replaced with `rename(tmp, lock)`, but only by the one process that created the takeover marker
 *    `<lock>.takeover-<token>-<k>` for that stale holding (O_EXCL by link again), and only after checking that the
 *    lock still names the stale holding. Marker k+1 is tried only when marker k's creator is dead too, so at most
 *    one live process replaces a given holding, and a live holder's lock never disappears;
 *  - the holder rewrites its record (publish) by rename, and removes it on release or on exit.
 * A holder killed outright leaves its file behind: the next process finds it stale and takes over.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomicSync, writeTempBesideSync } from '../../files/atomic-write';
import { currentProcess, livenessOf, type ProcessIdentity } from './process-identity';
import { decodeIdentity, decodeOwnerRecord, encodeOwnerRecord, type Endpoint, type OwnerRecord } from './owner-record';

export interface HeldLock {
  readonly path: string;
  readonly record: OwnerRecord;
  /** Records that the owner serves at `endpoint`, or (null) that it serves nobody. */
  publish(endpoint: Endpoint | null): void;
  /** Records that the owner is closing the database: others wait for the lock instead of connecting. */
  stopping(): void;
  release(): void;
}

export type Acquisition =
  | { kind: 'acquired'; lock: HeldLock }
  /** A live holder, or one on another host that cannot be checked from here. */
  | { kind: 'held'; owner: OwnerRecord };

export class UnreadableLockError extends Error {
  override readonly name = 'UnreadableLockError';
}

export function lockPathOf(dataDir: string): string {
  return `${dataDir}.lock`;
}

export type ReadLock = { kind: 'none' } | { kind: 'record'; record: OwnerRecord } | { kind: 'unreadable'; reason: string };

export function readLock(lockPath: string): ReadLock {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  const decoded = decodeOwnerRecord(text);
  return decoded.ok ? { kind: 'record', record: decoded.value } : { kind: 'unreadable', reason: decoded.reason };
}

export async function acquireOwnerLock(lockPath: string, command: string, timeoutMs = 10_000): Promise<Acquisition> {
  const me = currentProcess();
  const record: OwnerRecord = {
    version: 1, token: randomUUID(), ...me, command, startedAt: new Date().toISOString(), state: 'starting', endpoint: null,
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (createExclusive(lockPath, encodeOwnerRecord(record))) return { kind: 'acquired', lock: holding(lockPath, record) };
    const found = readLock(lockPath);
    if (found.kind === 'none') continue; // released between our link and our read
    if (found.kind === 'unreadable') {
      throw new UnreadableLockError(`the warehouse lock ${lockPath} is not a cafe-etl owner record (${found.reason}); ` +
        'remove it if no process uses this warehouse');
    }
    if (livenessOf(found.record) !== 'dead') return { kind: 'held', owner: found.record };
    if (takeOver(lockPath, found.record, record, me)) return { kind: 'acquired', lock: holding(lockPath, record) };
    // Another process is taking over, or just did: look again shortly.
    await sleep(20);
  }
  throw new Error(`could not take or read the warehouse lock ${lockPath} within ${timeoutMs} ms`);
}

function takeOver(lockPath: string, stale: OwnerRecord, mine: OwnerRecord, me: ProcessIdentity): boolean {
  const markers: string[] = [];
  for (let k = 0; ; k++) {
    const marker = `${lockPath}.takeover-${stale.token}-${k}`;
    if (createExclusive(marker, JSON.stringify(me))) {
      markers.push(marker);
      break;
    }
    const holder = readIdentity(marker);
    // Gone (the winner finished) or alive (the winner is at work): either way not ours to do.
    if (holder === undefined || livenessOf(holder) !== 'dead') return false;
    markers.push(marker);
  }
  try {
    const current = readLock(lockPath);
    if (current.kind !== 'record' || current.record.token !== stale.token) return false;
    writeFileAtomicSync(lockPath, encodeOwnerRecord(mine));
    return true;
  } finally {
    for (const marker of markers) fs.rmSync(marker, { force: true });
  }
}

function holding(lockPath: string, initial: OwnerRecord): HeldLock {
  let record = initial;
  let held = true;
  // Best effort on a normal exit (not on SIGKILL: that is what staleness is for).
  const onExit = () => release();
  process.on('exit', onExit);
  function release() {
    if (!held) return;
    held = false;
    process.off('exit', onExit);
    const current = readLock(lockPath);
    if (current.kind === 'record' && current.record.token === record.token) fs.rmSync(lockPath, { force: true });
  }
  return {
    path: lockPath,
    get record() {
      return record;
    },
    publish(endpoint) {
      if (!held) throw new Error('the warehouse lock was released');
      record = { ...record, state: endpoint ? 'serving' : 'exclusive', endpoint };
      writeFileAtomicSync(lockPath, encodeOwnerRecord(record));
    },
    stopping() {
      if (!held) return;
      record = { ...record, state: 'stopping', endpoint: null };
      writeFileAtomicSync(lockPath, encodeOwnerRecord(record));
    },
    release,
  };
}

/** Creates `target` with `content`, whole, or answers false if it exists. */
function createExclusive(target: string, content: string): boolean {
  const tmp = writeTempBesideSync(target, content);
  try {
    fs.linkSync(tmp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}



function readIdentity(marker: string): ProcessIdentity | undefined {
  let text: string;
  try {
    text = fs.readFileSync(marker, 'utf8');
  } catch {
    return undefined;
  }
  const decoded = decodeIdentity(text);
  return decoded.ok ? decoded.value : undefined;
}
