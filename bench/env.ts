/**
 * The benchmarks' environment variables, decoded with io-ts: a typo (`BENCH_RUNS=three`, `BENCH_DATABASES=postgress`)
 * stops the run naming the variable instead of running NaN times or on the wrong database.
 */
import * as t from 'io-ts';
import { numberFromString } from '../tasks/capabilities/settings';
import { decodeOrThrow } from '../tasks/decoding/decode';

const PositiveInteger = numberFromString('a positive whole number', (n) => Number.isSafeInteger(n) && n > 0);
const DatabasesFromString = new t.Type<('pglite' | 'postgres')[], string, unknown>(
  'a comma-separated list of pglite and postgres',
  (u): u is ('pglite' | 'postgres')[] => Array.isArray(u) && u.every((d) => d === 'pglite' || d === 'postgres'),
  (u, c) => {
    const names = typeof u === 'string' ? u.split(',').map((d) => d.trim()) : [];
    return names.length > 0 && names.every((d) => d === 'pglite' || d === 'postgres')
      ? t.success(names as ('pglite' | 'postgres')[])
      : t.failure(u, c);
  },
  (databases) => databases.join(','),
);

/** Each named variable as a positive integer (its default when unset), plus BENCH_DATABASES. */
export function benchEnvironment<K extends string>(
  defaults: Readonly<Record<K, number>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<K, number> & { BENCH_DATABASES: ('pglite' | 'postgres')[] } {
  const names = Object.keys(defaults) as K[];
  const codec = t.partial({
    ...Object.fromEntries(names.map((name) => [name, PositiveInteger])),
    BENCH_DATABASES: DatabasesFromString,
  });
  const decoded = decodeOrThrow(codec, env, 'benchmark environment') as Partial<Record<K, number>> & { BENCH_DATABASES?: ('pglite' | 'postgres')[] };
  return {
    ...(Object.fromEntries(names.map((name) => [name, decoded[name] ?? defaults[name]])) as Record<K, number>),
    BENCH_DATABASES: decoded.BENCH_DATABASES ?? ['pglite', 'postgres'],
  };
}
