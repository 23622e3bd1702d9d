/**
 * When a file being copied into `raw/` is whole: once its size and modification time (the local etag) have held
 * still for the settle interval. Real copies stall for a second or more, so the interval is seconds, not a tick.
 */
import type { ObjectInfo } from '../../tasks/object-store/port';

export const DEFAULT_SETTLE_MS = 3000;

export class SettleClock {
  private readonly seen = new Map<string, { etag: string; since: number }>();

  constructor(private readonly settleMs: number) {}

  /** Notes what the object looks like at `now`; answers whether it has looked so for the whole interval. */
  isSettled(object: ObjectInfo, now: number): boolean {
    const last = this.seen.get(object.key);
    if (last?.etag !== object.etag) {
      this.seen.set(object.key, { etag: object.etag, since: now });
      return false;
    }
    return now - last.since >= this.settleMs;
  }

  /** Forgets objects that are gone (deleted, or renamed into place under another key). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of this.seen.keys()) if (!keys.has(key)) this.seen.delete(key);
  }
}
