/**
 * Sale timestamps. Exports carry `dd/mm/yyyy HH:MM` (day first, always; Excel may drop the padding:
 * `9/5/2023 9:00`) or ISO `yyyy-mm-dd HH:MM[:SS]`. Parsed by hand: this runs once per row.
 * The result is local wall-clock text `YYYY-MM-DD HH:MM:SS`; impossible dates (31/02) are null.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * Reads up to `maxDigits` (at most 4) digits at `pos`: their value and how many there were, packed into one number
 * (`value * 8 + count`), or -1 when there are none. One number, so a call allocates nothing and no state outlives it.
 */
function readNumber(text: string, pos: number, end: number, maxDigits: number): number {
  let value = 0;
  let i = pos;
  while (i < end && i - pos < maxDigits) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    i++;
  }
  return i === pos ? -1 : value * 8 + (i - pos);
}

const valueOf = (read: number): number => (read - (read & 7)) / 8;
const digitsOf = (read: number): number => read & 7;

export function parseTimestamp(text: string): string | null {
  return parseTimestampIn(text, 0, text.length);
}

/** parseTimestamp of text[from, to), read in place (nothing past `to` is looked at). */
export function parseTimestampIn(text: string, from: number, to: number): string | null {
  let start = from;
  let end = to;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  const at = (i: number) => (i < end ? text.charCodeAt(i) : -1);
  const firstRead = readNumber(text, start, end, 4);
  if (firstRead < 0) return null;
  const first = valueOf(firstRead);
  const firstEnd = start + digitsOf(firstRead);
  const sep = at(firstEnd);
  let year: number, month: number, day: number, pos: number;
  if (sep === 47 /* / */) {
    const monthRead = readNumber(text, firstEnd + 1, end, 2);
    if (monthRead < 0 || firstEnd - start > 2) return null;
    const monthEnd = firstEnd + 1 + digitsOf(monthRead);
    if (at(monthEnd) !== 47) return null;
    const yearRead = readNumber(text, monthEnd + 1, end, 4);
    if (yearRead < 0 || digitsOf(yearRead) !== 4) return null;
    month = valueOf(monthRead);
    year = valueOf(yearRead);
    day = first;
    pos = monthEnd + 1 + 4;
  } else if (sep === 45 /* - */) {
    const monthRead = readNumber(text, firstEnd + 1, end, 2);
    if (monthRead < 0 || firstEnd - start !== 4) return null;
    const monthEnd = firstEnd + 1 + digitsOf(monthRead);
    if (at(monthEnd) !== 45) return null;
    const dayRead = readNumber(text, monthEnd + 1, end, 2);
    if (dayRead < 0) return null;
    month = valueOf(monthRead);
    day = valueOf(dayRead);
    year = first;
    pos = monthEnd + 1 + digitsOf(dayRead);
  } else {
    return null;
  }
  const gap = at(pos);
  if (gap !== 32 && gap !== 84 /* T */) return null;
  const hourRead = readNumber(text, pos + 1, end, 2);
  if (hourRead < 0) return null;
  const hourEnd = pos + 1 + digitsOf(hourRead);
  if (at(hourEnd) !== 58) return null;
  const minuteRead = readNumber(text, hourEnd + 1, end, 2);
  if (minuteRead < 0 || digitsOf(minuteRead) !== 2) return null;
  const hour = valueOf(hourRead);
  const minute = valueOf(minuteRead);
  let second = 0;
  let tail = hourEnd + 1 + 2;
  if (tail < end && text.charCodeAt(tail) === 58) {
    const secondRead = readNumber(text, tail + 1, end, 2);
    if (secondRead < 0 || digitsOf(secondRead) !== 2) return null;
    second = valueOf(secondRead);
    tail += 1 + 2;
  }
  if (tail !== end) return null;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}
