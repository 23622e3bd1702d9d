import { isCandidate } from '../../../workflows/watch/candidates';
import { SettleClock } from '../../../workflows/watch/settle';

describe('SettleClock', () => {
  const at = (etag: string) => ({ key: 'raw/x.csv', size: 1, etag });

  it('says a file is whole only once it has looked the same for the whole interval', () => {
    const clock = new SettleClock(500);
    expect(clock.isSettled(at('a'), 0)).toBe(false);
    expect(clock.isSettled(at('a'), 499)).toBe(false);
    expect(clock.isSettled(at('b'), 600)).toBe(false); // it grew: the interval starts again
    expect(clock.isSettled(at('b'), 1099)).toBe(false);
    expect(clock.isSettled(at('b'), 1100)).toBe(true);
  });

  it('forgets a file that went away', () => {
    const clock = new SettleClock(500);
    clock.isSettled(at('a'), 0);
    clock.keepOnly(new Set());
    expect(clock.isSettled(at('a'), 1000)).toBe(false);
  });
});

describe('watch candidates', () => {
  it.each([
    ['raw/leeds/day.csv', true],
    ['raw/leeds/20240501T083000Z-3f9a2c/leeds day.csv', true],
    ['raw/leeds/DAY.CSV', true],
    ['raw/leeds/day.csv.part', false],
    ['raw/leeds/day.csv.tmp', false],
    ['raw/leeds/day.csv~', false],
    ['raw/leeds/.day.csv', false],
    ['raw/leeds/.day.csv.Xa81b2', false],
    ['raw/.incoming/day.csv', false],
    ['raw/leeds/day.txt', false],
    ['staging/day.csv', false],
  ])('%s → %s', (key, taken) => expect(isCandidate(key)).toBe(taken));
});
