/** When a PostgreSQL-family load sums the staged partial aggregates rather than reading the file's facts back. */
import { partialsWorthSumming } from '../../../tasks/warehouse/postgres-family-warehouse';

const MiB = 1024 * 1024;

describe('partialsWorthSumming', () => {
  it('sums the partials of a branch\'s day, a few KB beside tens of MB of facts', () => {
    expect(partialsWorthSumming(44 * 1024, 33 * MiB)).toBe(true);
  });

  it('reads the facts back when the partials are about as big as they are (slices spread over every chunk)', () => {
    expect(partialsWorthSumming(33 * MiB, 33 * MiB)).toBe(false);
    expect(partialsWorthSumming(10 * MiB, 33 * MiB)).toBe(false);
  });

  it('sums the partials up to a fifth of the facts\' bytes, and always below a MiB', () => {
    expect(partialsWorthSumming(6 * MiB, 30 * MiB)).toBe(true);
    expect(partialsWorthSumming(6 * MiB + 1, 30 * MiB)).toBe(false);
    expect(partialsWorthSumming(MiB, 100)).toBe(true);
    expect(partialsWorthSumming(MiB + 1, 100)).toBe(false);
  });
});
