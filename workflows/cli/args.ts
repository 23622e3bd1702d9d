/** Parses a command's own `--flag value` arguments into a record, for decoding with a codec. */
import { UsageError } from './options';

export function parseFlags(args: readonly string[], known: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string?];
    if (!known.includes(flag)) throw new UsageError(`unknown argument '${arg}'`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    flags[flag.slice(2)] = value;
  }
  return flags;
}
