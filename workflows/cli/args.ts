/**
 * Decodes a command's own arguments: `--flag VALUE` / `--flag=VALUE` options, boolean switches and positionals.
 */
import { UsageError } from './options';

export interface ArgSpec<V extends string, S extends string> {
  values?: readonly V[];
  switches?: readonly S[];
}

export interface DecodedArgs<V extends string, S extends string> {
  values: Partial<Record<V, string>>;
  switches: Record<S, boolean>;
  positionals: string[];
}

export function decodeArgs<V extends string = never, S extends string = never>(
  args: readonly string[],
  spec: ArgSpec<V, S>,
): DecodedArgs<V, S> {
  const values: Partial<Record<V, string>> = {};
  const switches = Object.fromEntries((spec.switches ?? []).map((s) => [s, false])) as Record<S, boolean>;
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string?];
    if ((spec.values ?? []).includes(flag as V)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${flag} needs a value`);
      values[flag as V] = value;
    } else if ((spec.switches ?? []).includes(flag as S) && inline === undefined) {
      switches[flag as S] = true;
    } else {
      throw new UsageError(`unknown option --${flag}`);
    }
  }
  return { values, switches, positionals };
}

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not '${text}'`);
  return n;
}
