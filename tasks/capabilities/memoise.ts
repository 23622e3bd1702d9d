/** Remembers a promise per key, forgetting a rejected one so the next call tries again (a warehouse that was down). */
export function memoiseAsync<T>(): (key: string, open: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, open) => {
    let found = cache.get(key);
    if (!found) {
      found = open();
      cache.set(key, found);
      found.catch(() => cache.delete(key));
    }
    return found;
  };
}
