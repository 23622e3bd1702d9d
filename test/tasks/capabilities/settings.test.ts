/** The tasks' settings from the environment: defaults, the sale-year range, a clear refusal of bad values, local chunks. */
import { settingsFromEnvironment } from '../../../tasks/capabilities/settings';
import { LOCAL_CHUNK_BYTES, withLocalChunking } from '../../../tasks/capabilities/local';

describe('settingsFromEnvironment', () => {
  it('defaults the sale years to 2000-2100 and reads MIN_SALE_YEAR / MAX_SALE_YEAR', () => {
    expect(settingsFromEnvironment({}).saleYears).toEqual({ min: 2000, max: 2100 });
    expect(settingsFromEnvironment({ MIN_SALE_YEAR: '1990', MAX_SALE_YEAR: '2030' }).saleYears).toEqual({ min: 1990, max: 2030 });
  });

  it('refuses a year that is not one, or a range that runs backwards, naming the variable', () => {
    expect(() => settingsFromEnvironment({ MIN_SALE_YEAR: '20x0' })).toThrow(/MIN_SALE_YEAR/);
    expect(() => settingsFromEnvironment({ MAX_SALE_YEAR: '1' })).toThrow(/MAX_SALE_YEAR/);
    expect(() => settingsFromEnvironment({ MIN_SALE_YEAR: '2050', MAX_SALE_YEAR: '2040' })).toThrow(/MIN_SALE_YEAR 2050 is after MAX_SALE_YEAR 2040/);
  });
});

describe('withLocalChunking', () => {
  it('cuts local chunks at 4 MiB whether tasks run on workers or in-process, unless CHUNK_BYTES is set', () => {
    const lambda = settingsFromEnvironment({});
    expect(lambda.chunkBytes).toBe(64 * 1024 * 1024);
    expect(withLocalChunking(lambda, {}).chunkBytes).toBe(LOCAL_CHUNK_BYTES);
    expect(LOCAL_CHUNK_BYTES).toBe(4 * 1024 * 1024);
    const given = settingsFromEnvironment({ CHUNK_BYTES: '100000000' });
    expect(withLocalChunking(given, { CHUNK_BYTES: '100000000' }).chunkBytes).toBe(100_000_000);
  });
});
