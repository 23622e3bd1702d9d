import { parseCommandLine, UsageError } from '../../../workflows/cli/options';

describe('parseCommandLine', () => {
  it('takes global flags anywhere and leaves the command its own arguments', () => {
    const parsed = parseCommandLine(['run', '--home', 'h', 'a.csv', '--json', '--target=aws'], {}, '/w');
    expect(parsed).toEqual({
      command: 'run',
      args: ['a.csv'],
      options: { home: '/w/h', warehouse: 'pglite:///w/h/warehouse', target: 'aws', json: true },
    });
  });

  it('falls back to the environment, then to defaults under the home directory', () => {
    const parsed = parseCommandLine(['query'], { CAFE_ETL_HOME: '/data', CAFE_ETL_WAREHOUSE: 'postgres://x/y' }, '/w');
    expect(parsed.options).toMatchObject({ home: '/data', warehouse: 'postgres://x/y', target: 'local', json: false });
  });

  it('names a bad target and a flag without its value', () => {
    expect(() => parseCommandLine(['run', '--target', 'gcp'], {}, '/w')).toThrow(UsageError);
    expect(() => parseCommandLine(['run', '--home'], {}, '/w')).toThrow('--home needs a value');
  });
});
