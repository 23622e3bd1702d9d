/** The tasks' settings from the environment: defaults, the sale-year range, and a clear refusal of bad values. */
import { settingsFromEnvironment } from '../../../tasks/capabilities/settings';

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
