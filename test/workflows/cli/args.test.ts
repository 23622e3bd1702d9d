import {
  commandHelp,
  Duration,
  flag,
  nonEmpty,
  oneOf,
  option,
  optionLines,
  parseCommandArgs,
  parseOptions,
  Port,
  PositiveInteger,
  PositiveNumber,
  renderForm,
  repeatable,
  required,
  splitOptions,
  usageOf,
  UsageError,
  WholeNumber,
  type CommandSpec,
} from '../../../workflows/cli/args';
import { COMMAND_LIST } from '../../../workflows/cli/command-list';
import { helpText } from '../../../workflows/cli/main';
import { GLOBAL_OPTIONS } from '../../../workflows/cli/options';

const OPTIONS = {
  settle: option('MS', 'how long it holds still', { decode: Duration, default: 3000, defaultText: '3s' }),
  port: option('P', 'the port', { decode: Port, default: 4180 }),
  concurrency: option('N', 'at once', { decode: PositiveInteger, default: 4 }),
  size: option('MB', 'size', { decode: PositiveNumber }),
  status: option('S', 'status', { decode: oneOf(['RUNNING', 'FAILED'], { ignoreCase: true }) }),
  layout: option('L', 'layout', { decode: oneOf(['a', 'b']), default: 'a' }),
  branch: option('NAME', 'branch', { short: 'b' }),
  rows: option('R', 'rows', { decode: WholeNumber }),
  discard: repeatable('ID', 'discard it', { decode: nonEmpty('an execution id') }),
  force: flag('anyway', { short: 'f' }),
};

const parse = (args: string[]) => parseOptions(args, OPTIONS);
const DEFAULTS: Record<string, unknown> = { settle: 3000, port: 4180, concurrency: 4, size: undefined, status: undefined, layout: 'a', branch: undefined, rows: undefined, discard: [], force: false };

describe('parseOptions: good values', () => {
  it.each<[string, string[], Record<string, unknown>]>([
    ['nothing: the defaults', [], {}],
    ['a duration in plain milliseconds', ['--settle', '250'], { settle: 250 }],
    ['a duration in ms', ['--settle', '500ms'], { settle: 500 }],
    ['a duration in seconds', ['--settle=2s'], { settle: 2000 }],
    ['port 0 (a free one)', ['--port', '0'], { port: 0 }],
    ['port 65535', ['--port', '65535'], { port: 65_535 }],
    ['a positive integer', ['--concurrency', '12'], { concurrency: 12 }],
    ['a fractional number', ['--size', '0.5'], { size: 0.5 }],
    ['an enum in any case, answered as declared', ['--status', 'failed'], { status: 'FAILED' }],
    ['a whole number, zero included', ['--rows', '0'], { rows: 0 }],
    ['a text value by its short alias', ['-b', 'leeds'], { branch: 'leeds' }],
    ['a text value starting with a dash', ['--branch', '-x'], { branch: '-x' }],
    ['an inline empty text', ['--branch='], { branch: '' }],
    ['a switch', ['--force'], { force: true }],
    ['a switch by its short alias', ['-f'], { force: true }],
    ['a repeatable option, in order', ['--discard', 'a', '--discard=b'], { discard: ['a', 'b'] }],
  ])('%s', (_, args, expected) => {
    expect(parse(args)).toEqual({ values: { ...DEFAULTS, ...expected }, positionals: [] });
  });

  it('keeps positionals in order, and everything after -- as positionals', () => {
    expect(parse(['x', '--force', 'y', '--', '--port', '-f'])).toEqual({ values: { ...DEFAULTS, force: true }, positionals: ['x', 'y', '--port', '-f'] });
  });
});

describe('parseOptions: bad input is a UsageError naming the option, never NaN', () => {
  it.each<[string, string[], string]>([
    ['a duration that is not one', ['--settle', 'abc'], '--settle: expected a duration like 500ms or 2s, got "abc"'],
    ['a duration with another unit', ['--settle', '2x'], '--settle: expected a duration like 500ms or 2s, got "2x"'],
    ['a zero duration', ['--settle', '0'], '--settle: expected a duration like 500ms or 2s, got "0"'],
    ['a negative duration', ['--settle=-5'], '--settle: expected a duration like 500ms or 2s, got "-5"'],
    ['a port out of range', ['--port', '70000'], '--port: expected a port from 0 to 65535, got "70000"'],
    ['a port that is a word', ['--port', 'http'], '--port: expected a port from 0 to 65535, got "http"'],
    ['an empty port (not 0)', ['--port='], '--port: expected a port from 0 to 65535, got ""'],
    ['a hex port', ['--port', '0x50'], '--port: expected a port from 0 to 65535, got "0x50"'],
    ['zero where a positive integer is due', ['--concurrency', '0'], '--concurrency: expected a positive integer, got "0"'],
    ['a fraction where an integer is due', ['--concurrency', '1.5'], '--concurrency: expected a positive integer, got "1.5"'],
    ['an exponent', ['--concurrency', '1e3'], '--concurrency: expected a positive integer, got "1e3"'],
    ['spaces around a number', ['--concurrency', ' 4 '], '--concurrency: expected a positive integer, got " 4 "'],
    ['a number that is not one', ['--size', 'big'], '--size: expected a positive number, got "big"'],
    ['zero where a positive number is due', ['--size', '0'], '--size: expected a positive number, got "0"'],
    ['an enum value not declared', ['--status', 'DONE'], '--status: expected one of RUNNING, FAILED, got "DONE"'],
    ['an enum value in the wrong case, where case matters', ['--layout', 'A'], '--layout: expected one of a, b, got "A"'],
    ['an empty repeatable value', ['--discard', 'a', '--discard='], '--discard: expected an execution id, got ""'],
    ['an unknown option', ['--nope'], 'unknown option --nope'],
    ['an unknown option with a value', ['--nope=1'], 'unknown option --nope'],
    ['an unknown short option', ['-x'], 'unknown option -x'],
    ['a negative number where an option could be', ['-1'], 'unknown option -1'],
    ['a missing value at the end', ['--port'], '--port needs a value'],
    ['a missing value by its short alias', ['-b'], '--branch needs a value'],
    ['a switch given a value', ['--force=yes'], "--force takes no value (got 'yes')"],
    ['an option given twice', ['--port', '1', '--port', '2'], '--port is given more than once'],
    ['a switch given twice', ['--force', '-f'], '--force is given more than once'],
  ])('%s', (_, args, message) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(message);
  });

  it('reports every bad value at once, and a required option left out', () => {
    expect(() => parse(['--port', 'x', '--settle', 'y'])).toThrow('--settle: expected a duration like 500ms or 2s, got "y"; --port: expected a port from 0 to 65535, got "x"');
    const needs = { out: required('DIR', 'where'), days: required('D', 'days', { decode: WholeNumber }), seed: option('S', 'seed') };
    expect(() => parseOptions([], needs)).toThrow('--out and --days are required');
    expect(() => parseOptions(['--days', '2'], needs)).toThrow('--out is required');
    expect(parseOptions(['--days', '2', '--out', 'o'], needs).values).toEqual({ out: 'o', days: 2, seed: undefined });
  });
});

describe('splitOptions: the global options around a command\'s own', () => {
  it('takes its options anywhere before --, and leaves every other argument as given', () => {
    const split = splitOptions(['run', '--home', 'h', '--branch', 'leeds', '-1', '--port=0', 'a.csv', '--json', '--', '--home', 'x'], GLOBAL_OPTIONS);
    expect(split.values).toMatchObject({ home: 'h', json: true });
    expect(split.rest).toEqual(['run', '--branch', 'leeds', '-1', '--port=0', 'a.csv', '--', '--home', 'x']);
  });

  it('names its own bad input', () => {
    expect(() => splitOptions(['--target', 'gcp'], GLOBAL_OPTIONS)).toThrow('--target: expected one of local, aws, got "gcp"');
    expect(() => splitOptions(['x', '--home'], GLOBAL_OPTIONS)).toThrow('--home needs a value');
    expect(() => splitOptions(['--json=1'], GLOBAL_OPTIONS)).toThrow("--json takes no value (got '1')");
  });
});

describe('the help, from the same declarations', () => {
  const spec: CommandSpec = {
    name: 'thing',
    summary: 'does a thing',
    options: { port: option('P', 'the port', { decode: Port, default: 80 }), only: repeatable('ID', 'only these'), out: required('DIR', 'where'), force: flag('anyway', { short: 'f' }) },
  };

  it('renders usage forms: brackets for optional, … for repeatable, none for required or needed', () => {
    expect(usageOf(spec)).toBe('thing [--port P] [--only ID]… --out DIR [--force]');
    expect(usageOf({ ...spec, forms: ['thing {port!} X', 'thing {json} Y'] }, GLOBAL_OPTIONS)).toBe('thing --port P X | thing [--json] Y');
    expect(() => renderForm('thing {nope}', spec.options)).toThrow('names no declared option --nope');
  });

  it('lists every option with its value, short alias, description, default and whether required', () => {
    expect(optionLines(spec.options)).toEqual([
      '  --port P     the port (default 80)',
      '  --only ID    only these',
      '  --out DIR    where (required)',
      '  --force, -f  anyway',
    ]);
    expect(commandHelp(spec).split('\n')[0]).toBe('usage: cafe-etl thing [--port P] [--only ID]… --out DIR [--force]');
  });

  it('keeps every command\'s usage line as it was, each option in it', () => {
    expect(Object.fromEntries(COMMAND_LIST.map((c) => [c.name, c.usage]))).toEqual({
      demo: 'demo',
      run: 'run [--branch NAME] [--concurrency N] [--load-window DURATION] FILE… | run --key raw/…/NAME.csv FILE',
      watch: 'watch [--interval MS] [--settle MS] [--once]',
      executions: 'executions [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED] [--json]',
      describe: 'describe EXECUTION_ID [--json]',
      redrive: 'redrive EXECUTION_ID [--force]',
      stop: 'stop EXECUTION_ID [--error ERROR] [--cause CAUSE]',
      dlq: 'dlq list [--json] | dlq redrive [--discard EXECUTION_ID]…',
      console: 'console [--port P]   (--port 0 picks a free port)',
      query: 'query [--json] SQL',
      migrate: 'migrate',
      warehouse: 'warehouse serve [--port P]   (default 5433; --port 0 picks a free port)',
      generate: 'generate --branches N --days D --rows R --out DIR [--seed S] [--layout standard|header|crlf|excel|padded|aberdeen|isle-of-wight|bom-trailing-space|mixed] [--bad-rows N]',
    });
    for (const c of COMMAND_LIST) {
      for (const name of Object.keys(c.options)) expect(c.usage).toContain(`--${name}`);
      const help = commandHelp(c, GLOBAL_OPTIONS);
      for (const name of Object.keys(c.options)) expect(help).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
    }
  });

  it('gives the top-level usage line and environment from the global declarations', () => {
    const text = helpText();
    expect(text.split('\n')[0]).toBe('usage: cafe-etl [--home DIR] [--warehouse URL] [--target local|aws] [--aws-outputs FILE] [--json] COMMAND [ARGS]');
    expect(text).toMatch(/^ {2}--target local\|aws {2}the local state machine, or the deployed stack \(default local\)$/m);
    expect(text.replace(/\n +/g, ' ')).toContain(
      'Environment: CAFE_ETL_HOME (default ./.cafe-etl), CAFE_ETL_WAREHOUSE (default pglite://<home>/warehouse), CAFE_ETL_TARGET (default local), ' +
        'CAFE_ETL_AWS_OUTPUTS (default ./cdk-outputs.json), CHUNK_BYTES, MAX_REJECTED_SHARE, CAFE_ETL_WORKERS.',
    );
    expect(Math.max(...text.split('\n').filter((l) => l.startsWith('Environment') || l.startsWith(' '.repeat(13))).map((l) => l.length))).toBeLessThanOrEqual(118);
  });
});

describe('parseCommandArgs', () => {
  it('decodes a command\'s arguments by its declaration, typed', () => {
    const run = COMMAND_LIST.find((c) => c.name === 'run')!;
    expect(parseCommandArgs(run, ['--branch', 'leeds', 'a.csv', '--concurrency=2'])).toEqual({ values: { branch: 'leeds', concurrency: 2, key: undefined }, positionals: ['a.csv'] });
  });

  it('leaves a verbatim command\'s arguments as typed (query\'s SQL)', () => {
    const query = COMMAND_LIST.find((c) => c.name === 'query')!;
    expect(parseCommandArgs(query, ['SELECT', '-1', '--', 'x']).positionals).toEqual(['SELECT', '-1', '--', 'x']);
  });
});
