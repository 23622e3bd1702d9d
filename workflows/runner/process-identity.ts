/**
 * Who a process is, in a way that survives PID reuse: its PID, this machine's host name, and the time the kernel
 * started it (field 22 of /proc/<pid>/stat, in clock ticks since boot; absent where /proc is not there). A process
 * named this way is alive only while a process with that PID and that start time runs on this host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as t from 'io-ts';

export const ProcessIdentityCodec = t.intersection([
  t.type({ pid: t.number, host: t.string }),
  t.partial({ started: t.string }),
]);
export type ProcessIdentity = t.TypeOf<typeof ProcessIdentityCodec>;

export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function thisProcess(): ProcessIdentity {
  const started = startTimeOf(process.pid);
  return { pid: process.pid, host: os.hostname(), ...(started ? { started } : {}) };
}

/** Whether the process is known dead; a process on another host cannot be checked, so it is not. */
export function isGone(identity: ProcessIdentity): boolean {
  if (identity.host !== os.hostname()) return false;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const started = startTimeOf(identity.pid);
  return identity.started !== undefined && started !== undefined && started !== identity.started;
}
