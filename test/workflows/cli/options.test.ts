import { main } from '../../../workflows/cli/main';
import { parseCommandLine, UsageError } from '../../../workflows/cli/options';

describe('parseCommandLine', () => {
  it('takes global flags anywhere and leaves the command its own arguments', () => {
    const parsed = parseCommandLine(['run', '--home', 'h', 'a.csv', '--json', '--target=aws'], {}, '/w');
    expect(parsed).toEqual({
      command: 'run',
      args: ['a.csv'],
      options: { home: '/w/h', warehouse: 'pglite:///w/h/warehouse', target: 'aws', json: true, awsOutputs: '/w/cdk-outputs.json' },
    });
  });

  it('falls back to the environment, then to defaults under the home directory', () => {
    const parsed = parseCommandLine(['query'], { CAFE_ETL_HOME: '/data', CAFE_ETL_WAREHOUSE: 'postgres://x/y' }, '/w');
    expect(parsed.options).toMatchObject({ home: '/data', warehouse: 'postgres://x/y', target: 'local', json: false });
  });

  it('reads the stack outputs file from --aws-outputs, else CAFE_ETL_AWS_OUTPUTS, else ./cdk-outputs.json', () => {
    expect(parseCommandLine(['dlq', 'list', '--aws-outputs', 'out/stack.json'], { CAFE_ETL_AWS_OUTPUTS: '/e.json' }, '/w').options.awsOutputs).toBe('/w/out/stack.json');
    expect(parseCommandLine(['dlq', 'list'], { CAFE_ETL_AWS_OUTPUTS: '/e.json' }, '/w').options.awsOutputs).toBe('/e.json');
    expect(parseCommandLine(['dlq', 'list'], {}, '/w').options.awsOutputs).toBe('/w/cdk-outputs.json');
  });

  it('names a bad target and a flag without its value', () => {
    expect(() => parseCommandLine(['run', '--target', 'gcp'], {}, '/w')).toThrow(UsageError);
    expect(() => parseCommandLine(['run', '--home'], {}, '/w')).toThrow('--home needs a value');
  });

  it('decodes CAFE_ETL_TARGET by name, unless --target overrides it', () => {
    expect(() => parseCommandLine(['executions'], { CAFE_ETL_TARGET: 'gcp' }, '/w')).toThrow('CAFE_ETL_TARGET: expected one of local, aws, got "gcp"');
    expect(parseCommandLine(['executions', '--target', 'aws'], { CAFE_ETL_TARGET: 'gcp' }, '/w').options.target).toBe('aws');
  });
});

describe('main on bad arguments and --help', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
  };

  it.each([
    [['watch', '--settle', 'abc'], 'cafe-etl: --settle: expected a duration like 500ms or 2s, got "abc"'],
    [['run', '--concurrency', '0', 'a.csv'], 'cafe-etl: --concurrency: expected a positive integer, got "0"'],
    [['--home', '/nowhere', 'executions', '--bogus'], 'cafe-etl: unknown option --bogus'],
    [['redrive', 'x', '--force=yes'], "cafe-etl: --force takes no value (got 'yes')"],
    [['generate', '--days', '1'], 'cafe-etl: --branches, --rows and --out are required'],
  ])('%j exits 2 with the message, then the help', async (argv, message) => {
    const { err, io } = capture();
    expect(await main(argv, {}, io)).toBe(2);
    expect(err.join('\n').split('\n')[0]).toBe(message);
    expect(err.join('\n')).toContain('\nusage: cafe-etl [--home DIR]');
  });

  it('answers COMMAND --help (or -h) with its usage and its options, loading nothing', async () => {
    const { out, io } = capture();
    expect(await main(['watch', '--help'], {}, io)).toBe(0);
    expect(await main(['watch', '-h'], {}, io)).toBe(0);
    expect(out[0]).toBe(out[1]);
    expect(out[0]!.split('\n')).toEqual(expect.arrayContaining([
      'usage: cafe-etl watch [--interval MS] [--settle MS] [--once]',
      '  --interval MS  how often to look: milliseconds, or a duration like 500ms or 2s (default 2s)',
      '  --settle MS    how long a file must hold still to be taken (the same units) (default 3s)',
      '  --once         take what is there once it holds still, then stop',
    ]));
  });
});
