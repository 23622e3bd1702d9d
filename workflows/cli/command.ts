import type { CommandInfo } from './command-list';
import type { GlobalOptions } from './options';

/** What a command writes to; injected so commands are testable without a terminal. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Command extends CommandInfo {
  /** Returns the process exit status. */
  run(args: readonly string[], options: GlobalOptions, io: Io): Promise<number>;
}
