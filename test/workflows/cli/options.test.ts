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
});
