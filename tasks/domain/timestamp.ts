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

/** Reads up to `maxDigits` digits at `pos`: [value, position after them], or null when there are none. */
function readNumber(text: string, pos: number, end: number, maxDigits: number): [number, number] | null {
  let value = 0;
  let i = pos;
  while (i < end && i - pos < maxDigits) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    i++;
  }
  return i === pos ? null : [value, i];
}

export function parseTimestamp(text: string): string | null {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  const first = readNumber(text, start, end, 4);
  if (!first) return null;
  const sep = text.charCodeAt(first[1]);
  let year: number, month: number, day: number, pos: number;
  if (sep === 47 /* / */) {
    const m = readNumber(text, first[1] + 1, end, 2);
    if (!m || first[1] - start > 2 || text.charCodeAt(m[1]) !== 47) return null;
    const y = readNumber(text, m[1] + 1, end, 4);
    if (!y || y[1] - m[1] - 1 !== 4) return null;
    [day, month, year, pos] = [first[0], m[0], y[0], y[1]];
  } else if (sep === 45 /* - */) {
    const m = readNumber(text, first[1] + 1, end, 2);
    if (!m || first[1] - start !== 4 || text.charCodeAt(m[1]) !== 45) return null;
    const d = readNumber(text, m[1] + 1, end, 2);
    if (!d) return null;
    [year, month, day, pos] = [first[0], m[0], d[0], d[1]];
  } else {
    return null;
  }
  const gap = text.charCodeAt(pos);
  if (gap !== 32 && gap !== 84 /* T */) return null;
  const h = readNumber(text, pos + 1, end, 2);
  if (!h || text.charCodeAt(h[1]) !== 58) return null;
  const mi = readNumber(text, h[1] + 1, end, 2);
  if (!mi || mi[1] - h[1] - 1 !== 2) return null;
  let second = 0;
  let tail = mi[1];
  if (tail < end && text.charCodeAt(tail) === 58) {
    const s = readNumber(text, tail + 1, end, 2);
    if (!s || s[1] - tail - 1 !== 2) return null;
    second = s[0];
    tail = s[1];
  }
  if (tail !== end) return null;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > daysInMonth || h[0] > 23 || mi[0] > 59 || second > 59) return null;
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(h[0])}:${pad2(mi[0])}:${pad2(second)}`;
}
