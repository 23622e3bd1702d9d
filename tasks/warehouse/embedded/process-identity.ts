/**
 * Who a process is, beyond its PID: PIDs are reused, so a lock names its holder by PID, the start time the kernel
 * gives that PID (/proc/<pid>/stat field 22, clock ticks since boot) and the boot it belongs to. A holder is alive
 * only if all three still match; where /proc is missing (not Linux) the PID alone has to do.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProcessIdentity {
  pid: number;
  /** null where /proc is not available. */
  startTicks: string | null;
  bootId: string | null;
  hostname: string;
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, startTicks: startTicksOf(process.pid), bootId: bootId(), hostname: os.hostname() };
}

/** This process's command line as a person would type it (`cafe-etl.cjs run a.csv`), cut to a readable length. */
export function processCommandLine(argv: readonly string[] = process.argv): string {
  const line = [path.basename(argv[1] ?? argv[0] ?? 'node'), ...argv.slice(2)].join(' ');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** 'unknown' when the holder is on another host: its PID means nothing here. */
export function livenessOf(holder: ProcessIdentity): Liveness {
  if (holder.hostname !== os.hostname()) return 'unknown';
  if (holder.bootId !== null && bootId() !== null && holder.bootId !== bootId()) return 'dead';
  if (!pidExists(holder.pid)) return 'dead';
  if (holder.startTicks === null) return 'alive';
  const now = startTicksOf(holder.pid);
  // The PID exists but belongs to a process that started at another time: the holder died and its PID was reused.
  return now === null || now === holder.startTicks ? 'alive' : 'dead';
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its end. */
export function startTicksOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}
