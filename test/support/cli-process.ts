/**
 * `cafe-etl` as a real child process (node bin/cafe-etl.cjs), for tests about what several processes on one home
 * do to each other: run one to the end, or start one that stays up (serve, console) and wait for its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'bin', 'cafe-etl.cjs');

export interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stdout + stderr so far; rejects if the process ends first. */
  output(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  finished: Promise<Finished>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  return startNode([CLI, ...args], env);
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return startCli(args, env).finished;
}

/** Any node script (test helpers that play a process holding the warehouse). */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); notify(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); notify(); });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (status, signal) => {
      resolve({ status, signal, stdout, stderr });
      notify();
    });
  });
  let exited = false;
  void finished.then(() => (exited = true));

  const output = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs);
      const check = () => {
        const match = pattern.exec(stdout + stderr);
        if (match) done(undefined, match);
        else if (exited) done(new Error(`exited before printing ${pattern}; stdout: ${stdout}\nstderr: ${stderr}`));
      };
      const done = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    output,
    finished,
    stop: (signal = 'SIGTERM') => {
      if (!exited) child.kill(signal);
      return finished;
    },
  };
}
