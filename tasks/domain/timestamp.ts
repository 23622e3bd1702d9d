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

/** Position after the digits the last readNumber call read (one module-level slot: no tuple per call). */
let numberEnd = 0;

/** Reads up to `maxDigits` digits at `pos` (sets numberEnd), or -1 when there are none. */
function readNumber(text: string, pos: number, end: number, maxDigits: number): number {
  let value = 0;
  let i = pos;
  while (i < end && i - pos < maxDigits) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    i++;
  }
  numberEnd = i;
  return i === pos ? -1 : value;
}

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
  const first = readNumber(text, start, end, 4);
  if (first < 0) return null;
  const firstEnd = numberEnd;
  const sep = at(firstEnd);
  let year: number, month: number, day: number, pos: number;
  if (sep === 47 /* / */) {
    month = readNumber(text, firstEnd + 1, end, 2);
    const monthEnd = numberEnd;
    if (month < 0 || firstEnd - start > 2 || at(monthEnd) !== 47) return null;
    year = readNumber(text, monthEnd + 1, end, 4);
    if (year < 0 || numberEnd - monthEnd - 1 !== 4) return null;
    day = first;
    pos = numberEnd;
  } else if (sep === 45 /* - */) {
    month = readNumber(text, firstEnd + 1, end, 2);
    const monthEnd = numberEnd;
    if (month < 0 || firstEnd - start !== 4 || at(monthEnd) !== 45) return null;
    day = readNumber(text, monthEnd + 1, end, 2);
    if (day < 0) return null;
    year = first;
    pos = numberEnd;
  } else {
    return null;
  }
  const gap = at(pos);
  if (gap !== 32 && gap !== 84 /* T */) return null;
  const hour = readNumber(text, pos + 1, end, 2);
  const hourEnd = numberEnd;
  if (hour < 0 || at(hourEnd) !== 58) return null;
  const minute = readNumber(text, hourEnd + 1, end, 2);
  if (minute < 0 || numberEnd - hourEnd - 1 !== 2) return null;
  let second = 0;
  let tail = numberEnd;
  if (tail < end && text.charCodeAt(tail) === 58) {
    second = readNumber(text, tail + 1, end, 2);
    if (second < 0 || numberEnd - tail - 1 !== 2) return null;
    tail = numberEnd;
  }
  if (tail !== end) return null;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}
