/**
 * Every command's name, summary and usage, in the order `cafe-etl help` lists them. Kept apart from the commands'
 * code so that `--help` (and main.ts choosing a command) loads none of it: each command's module, with what it
 * needs (the runner, the warehouses, the AWS SDK, the console's bundler), is loaded only when that command runs.
 */
import { FILE_LAYOUTS } from '../generate/layouts';

export interface CommandInfo {
  name: string;
  /** One line for `cafe-etl help`. */
  summary: string;
  /** The usage line(s), without the program name. */
  usage: string;
}

/** 5432 is usually a real PostgreSQL server. */
export const DEFAULT_WAREHOUSE_PORT = 5433;

const info = <N extends string>(name: N, summary: string, usage: string) => ({ name, summary, usage });

export const COMMAND_LIST = [
  info('demo', 'generate sample files (one not a cafe export), run them through the local state machine, show the results', 'demo'),
  info('run', 'upload files under raw/ and run one execution per file, then print the per-state table', 'run [--branch NAME] [--concurrency N] [--load-window 2s] FILE… | run --key raw/…/NAME.csv FILE'),
  info('watch', 'start an execution for every new file dropped into <home>/bucket/raw/, once it is whole', 'watch [--interval MS] [--settle MS] [--once]'),
  info('executions', 'list executions (newest first), optionally only those with a status', 'executions [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED] [--json]'),
  info('describe', 'show one execution state by state', 'describe EXECUTION_ID [--json]'),
  info('redrive', 're-run a FAILED, TIMED_OUT or ABORTED execution from the state that did not finish, keeping its id', 'redrive EXECUTION_ID [--force]'),
  info('stop', 'abort a RUNNING execution (it can be re-driven afterwards)', 'stop EXECUTION_ID [--error ERROR] [--cause CAUSE]'),
  info('dlq', 'list the failure dead-letter queue (one entry per execution), or re-drive what can be re-driven', 'dlq list [--json] | dlq redrive [--discard EXECUTION_ID]…'),
  info('console', 'the executions graph (with redrive and the DLQ) and the trends dashboard in the browser, on 127.0.0.1', 'console [--port P]   (--port 0 picks a free port)'),
  info('query', 'run SQL on the warehouse and print the rows (a JSON array with --json)', 'query [--json] SQL'),
  info('migrate', 'create or upgrade the warehouse schema and the analytics views', 'migrate'),
  info('warehouse', 'serve the embedded warehouse to PostgreSQL clients (psql, BI tools) on 127.0.0.1 until stopped',
    `warehouse serve [--port P]   (default ${DEFAULT_WAREHOUSE_PORT}; --port 0 picks a free port)`),
  info('generate', 'write realistic daily branch CSV files (every layout, optional bad rows)',
    `generate --branches N --days D --rows R --out DIR [--seed S] [--layout ${FILE_LAYOUTS.join('|')}|mixed] [--bad-rows N]`),
] as const;

export type CommandName = (typeof COMMAND_LIST)[number]['name'];

export const COMMAND_INFO = Object.fromEntries(COMMAND_LIST.map((c) => [c.name, c])) as { [N in CommandName]: CommandInfo & { name: N } };
