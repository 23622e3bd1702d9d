/**
 * Every command's name, summary and options, in the order `cafe-etl help` lists them: each option declared once
 * (args.ts), for the command's parse, its usage line and its `--help`. Kept apart from the commands' code so that
 * `--help` (and main.ts choosing a command) loads none of it: each command's module, with what it needs (the runner,
 * the warehouses, the AWS SDK, the console's bundler), is loaded only when that command runs.
 */
import { Duration, flag, LoadWindow, nonEmpty, oneOf, option, Port, PositiveInteger, repeatable, required, usageOf, WholeNumber, type CommandSpec, type Options } from './args';
import { GLOBAL_OPTIONS } from './options';
import { FILE_LAYOUTS } from '../generate/layouts';
import type { ExecutionStatus } from '../history/types';
import { DEFAULT_SETTLE_MS } from '../watch/settle';

export interface CommandInfo<O extends Options = Options> extends CommandSpec<O> {
  /** The usage line(s), without the program name, generated from the options. */
  usage: string;
}

/** 5432 is usually a real PostgreSQL server. */
export const DEFAULT_WAREHOUSE_PORT = 5433;
export const DEFAULT_CONSOLE_PORT = 4180;

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const LAYOUTS = [...FILE_LAYOUTS, 'mixed'] as const;

const info = <N extends string, O extends Options = Record<never, never>>(spec: CommandSpec<O> & { name: N }): CommandInfo<O> & { name: N } =>
  ({ ...spec, usage: usageOf(spec, GLOBAL_OPTIONS) });

const noOptions = {} as const;

export const COMMAND_LIST = [
  info({
    name: 'demo',
    summary: 'generate sample files (one not a cafe export), run them through the local state machine, show the results',
    options: noOptions,
  }),
  info({
    name: 'run',
    summary: 'upload files under raw/ and run one execution per file, then print the per-state table',
    options: {
      branch: option('NAME', 'the branch folder under raw/, slugified (else the branch the file\'s first rows name)'),
      concurrency: option('N', 'files running at once', { decode: PositiveInteger, default: 4 }),
      key: option('raw/…/NAME.csv', 'one FILE onto this exact key, replacing what an earlier upload of it loaded'),
      'load-window': option('DURATION', 'how long the local batch loader waits for more files before it loads a batch (default 0: at once; at most 300s)', { decode: LoadWindow }),
    },
    forms: ['run {branch} {concurrency} {load-window} FILE…', 'run {key!} FILE'],
  }),
  info({
    name: 'watch',
    summary: 'start an execution for every new file dropped into <home>/bucket/raw/, once it is whole',
    options: {
      interval: option('MS', 'how often to look: milliseconds, or a duration like 500ms or 2s', { decode: Duration, default: 2000, defaultText: '2s' }),
      settle: option('MS', 'how long a file must hold still to be taken (the same units)', { decode: Duration, default: DEFAULT_SETTLE_MS, defaultText: `${DEFAULT_SETTLE_MS / 1000}s` }),
      once: flag('take what is there once it holds still, then stop'),
    },
  }),
  info({
    name: 'executions',
    summary: 'list executions (newest first), optionally only those with a status',
    options: {
      status: option(STATUSES.join('|'), 'only the executions with this status (in any case)', { decode: oneOf(STATUSES, { ignoreCase: true }) }),
    },
    forms: ['executions {status} {json}'],
  }),
  info({ name: 'describe', summary: 'show one execution state by state', options: noOptions, forms: ['describe EXECUTION_ID {json}'] }),
  info({
    name: 'redrive',
    summary: 're-run a FAILED, TIMED_OUT or ABORTED execution from the state that did not finish, keeping its id',
    options: { force: flag('re-drive it even when it failed on a data error (the file itself is wrong)') },
    forms: ['redrive EXECUTION_ID {force}'],
  }),
  info({
    name: 'stop',
    summary: 'abort a RUNNING execution (it can be re-driven afterwards)',
    options: { error: option('ERROR', 'the error it is stopped with'), cause: option('CAUSE', 'the cause it is stopped with') },
    forms: ['stop EXECUTION_ID {error} {cause}'],
  }),
  info({
    name: 'dlq',
    summary: 'list the failure dead-letter queue (one entry per execution), or re-drive what can be re-driven',
    options: { discard: repeatable('EXECUTION_ID', 'delete its message instead of re-driving it (redrive only)', { decode: nonEmpty('an execution id') }) },
    forms: ['dlq list {json}', 'dlq redrive {discard}'],
  }),
  info({
    name: 'console',
    summary: 'the executions graph (with redrive and the DLQ) and the trends dashboard in the browser, on 127.0.0.1',
    options: { port: option('P', 'the port on 127.0.0.1 (0 picks a free port)', { decode: Port, default: DEFAULT_CONSOLE_PORT }) },
    forms: ['console {port}   (--port 0 picks a free port)'],
  }),
  info({
    name: 'query',
    summary: 'run SQL on the warehouse and print the rows (a JSON array with --json)',
    options: noOptions,
    forms: ['query {json} SQL'],
    verbatim: true,
  }),
  info({ name: 'migrate', summary: 'create or upgrade the warehouse schema and the analytics views', options: noOptions }),
  info({
    name: 'warehouse',
    summary: 'serve the embedded warehouse to PostgreSQL clients (psql, BI tools) on 127.0.0.1 until stopped',
    options: { port: option('P', 'the port on 127.0.0.1 (0 picks a free port)', { decode: Port, default: DEFAULT_WAREHOUSE_PORT }) },
    forms: [`warehouse serve {port}   (default ${DEFAULT_WAREHOUSE_PORT}; --port 0 picks a free port)`],
  }),
  info({
    name: 'generate',
    summary: 'write realistic daily branch CSV files (every layout, optional bad rows)',
    options: {
      branches: required('N', 'branches', { decode: WholeNumber }),
      days: required('D', 'days, one file per branch and day', { decode: WholeNumber }),
      rows: required('R', 'transactions per file', { decode: WholeNumber }),
      out: required('DIR', 'the folder to write them to'),
      seed: option('S', 'the random seed (the same seed, the same files)', { decode: WholeNumber, default: 1 }),
      layout: option(LAYOUTS.join('|'), 'the layout of every file, or mixed: the layouts in turn', { decode: oneOf(LAYOUTS), default: 'mixed' }),
      'bad-rows': option('N', 'rows per file that must be rejected', { decode: WholeNumber, default: 0 }),
    },
  }),
] as const;

export type CommandName = (typeof COMMAND_LIST)[number]['name'];

export const COMMAND_INFO = Object.fromEntries(COMMAND_LIST.map((c) => [c.name, c])) as {
  [N in CommandName]: Extract<(typeof COMMAND_LIST)[number], { name: N }>;
};
