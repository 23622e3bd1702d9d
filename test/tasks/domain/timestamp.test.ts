/**
 * Sale timestamps (DESIGN.md, Contracts: slashed dates are always day-first, impossible dates are rejected,
 * Excel drops the padding, Isle of Wight writes ISO with seconds) and the sale-year range the row decoder
 * applies on top (default 2000–2100).
 */
import { isRight } from 'fp-ts/Either';
import { recordOf } from '../../../tasks/csv-kernels/csv-records';
import { DEFAULT_SALE_YEARS, type YearRange } from '../../../tasks/domain/limits';
import { makeRowDecoder, reasonOf } from '../../../tasks/domain/row';
import { parseTimestamp, parseTimestampIn } from '../../../tasks/domain/timestamp';

describe('parseTimestamp', () => {
  it.each([
    ['25/08/2021 09:00', '2021-08-25 09:00:00', 'the standard export'],
    ['01/09/2021 10:30', '2021-09-01 10:30:00', 'day first: 1 September, never 9 January'],
    ['12/01/2022 08:15', '2022-01-12 08:15:00', 'day first even when both could be a month'],
    ['13/12/2022 23:59', '2022-12-13 23:59:00', 'the last minute of a day'],
    ['9/5/2023 9:00', '2023-05-09 09:00:00', 'an unpadded Excel date and hour'],
    ['1/12/2023 0:05', '2023-12-01 00:05:00', 'an unpadded day and midnight hour'],
    ['29/02/2024 12:00', '2024-02-29 12:00:00', '29 February of a leap year'],
    ['29/02/2000 12:00', '2000-02-29 12:00:00', '29 February of a leap century'],
    ['2021-08-25 09:00:00', '2021-08-25 09:00:00', 'Isle of Wight: ISO with seconds'],
    ['2022-01-04 17:45:59', '2022-01-04 17:45:59', 'ISO, the last second of a minute'],
    ['2021-08-25 09:00', '2021-08-25 09:00:00', 'ISO without seconds'],
    ['2021-08-25T09:00:05', '2021-08-25 09:00:05', "ISO with a 'T'"],
    ['  25/08/2021 09:00  ', '2021-08-25 09:00:00', 'space padding of a fixed-width column'],
    ['31/12/1999 23:59', '1999-12-31 23:59:00', 'a year outside the sale range still parses (the row decoder rejects it)'],
    ['01/01/2101 00:00', '2101-01-01 00:00:00', 'the same above the range'],
  ])('%s → %s (%s)', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    ['31/02/2021 10:00', 'an impossible date: 31 February'],
    ['30/02/2024 10:00', '30 February, even in a leap year'],
    ['29/02/2023 10:00', '29 February of a common year'],
    ['29/02/1900 10:00', '29 February of a century that is not a leap year'],
    ['31/04/2021 10:00', '31 April'],
    ['12/31/2021 10:00', 'month first (month 31)'],
    ['00/08/2021 09:00', 'day 0'],
    ['25/00/2021 09:00', 'month 0'],
    ['25/13/2021 09:00', 'month 13'],
    ['25/08/21 09:00', 'a two-digit year'],
    ['25/08/02021 09:00', 'a five-digit year'],
    ['2021/08/25 09:00', 'year first with slashes'],
    ['25-08-2021 09:00', 'day first with dashes'],
    ['25.08.2021 09:00', 'dots'],
    ['25/08/2021', 'no time'],
    ['25/08/2021 24:00', 'hour 24'],
    ['25/08/2021 09:60', 'minute 60'],
    ['25/08/2021 09:5', 'a one-digit minute'],
    ['2021-08-25 09:00:60', 'second 60'],
    ['2021-08-25 09:00:5', 'a one-digit second'],
    ['25/08/2021 09:00 PM', 'a 12-hour clock'],
    ['25/08/2021 09:00x', 'anything after the time'],
    ['25/08/2021  09:00', 'two spaces before the time'],
    ['1899-12-31 10:00:00', 'a year before 1900'],
    ['', 'blank'],
    ['Date', 'a header'],
    ['Richard Copeland', 'a name'],
  ])('%s is not a timestamp (%s)', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it('reads text[from, to) in place, looking at nothing outside it', () => {
    const line = 'x,25/08/2021 09:00,Leeds';
    expect(parseTimestampIn(line, 2, 18)).toBe('2021-08-25 09:00:00');
    expect(parseTimestampIn(line, 2, 17)).toBeNull(); // '09:0': a cut minute
    expect(parseTimestampIn('2021-08-25 09:00:00,', 0, 19)).toBe('2021-08-25 09:00:00');
  });
});

describe('the sale-year range (the row decoder on top of parseTimestamp)', () => {
  const row = (timestamp: string) => recordOf([timestamp, 'Leeds', 'Richard Copeland', 'Large Latte - 2.45', '2.45', 'CARD', '1111222233334444']);
  const reasonsOf = (timestamp: string, years: YearRange = DEFAULT_SALE_YEARS) => {
    const decoded = makeRowDecoder('standard', years).decode(row(timestamp));
    return isRight(decoded) ? 'clean' : decoded.left.map(reasonOf);
  };

  it.each<[string, YearRange, string | string[]]>([
    ['01/01/2000 00:00', DEFAULT_SALE_YEARS, 'clean'],
    ['31/12/2100 23:59', DEFAULT_SALE_YEARS, 'clean'],
    ['31/12/1999 23:59', DEFAULT_SALE_YEARS, ['timestamp']],
    ['01/01/2101 00:00', DEFAULT_SALE_YEARS, ['timestamp']],
    ['01/01/1970 00:00', DEFAULT_SALE_YEARS, ['timestamp']],
    ['31/02/2021 10:00', DEFAULT_SALE_YEARS, ['timestamp']],
    ['01/06/1995 12:00', { min: 1990, max: 2000 }, 'clean'],
    ['01/06/2001 12:00', { min: 1990, max: 2000 }, ['timestamp']],
  ])('%s in %o: %p', (timestamp, years, expected) => {
    expect(reasonsOf(timestamp, years)).toEqual(expected);
  });
});
