/**
 * Decoding at a task's edge: an event, a staged manifest or the environment that does not match its codec is an
 * InvalidInputError whose message names every field that is wrong (`file.sha256: expected string, got 42`).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { InvalidInputError } from '../domain/errors';

/** Values are shown shortened: events carry pointers and counts only, but a message is no place for a blob. */
function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const COMBINATORS = new Set(['IntersectionType', 'UnionType']);

function describe(error: t.ValidationError): string {
  // Keys under an intersection or union are member positions, not fields: leave them out of the path.
  const path = error.context
    .filter((entry, i) => entry.key !== '' && !COMBINATORS.has((error.context[i - 1]?.type as { _tag?: string } | undefined)?._tag ?? ''))
    .map((entry) => entry.key)
    .join('.');
  const expected = error.context[error.context.length - 1]?.type.name ?? 'a value';
  return `${path === '' ? '(the whole input)' : path}: expected ${expected}, got ${shown(error.value)}`;
}

/** Each failing field once, deepest description first (a union reports every branch; the first is enough). */
export function describeErrors(errors: t.Errors): string {
  const seen = new Map<string, string>();
  for (const error of errors) {
    const line = describe(error);
    const field = line.slice(0, line.indexOf(': '));
    if (!seen.has(field)) seen.set(field, line);
  }
  return [...seen.values()].slice(0, 5).join('; ');
}

export function decodeOrThrow<A, O>(codec: t.Type<A, O, unknown>, input: unknown, what: string): A {
  const decoded = codec.decode(input);
  if (isLeft(decoded)) throw new InvalidInputError(`invalid ${what}: ${describeErrors(decoded.left)}`);
  return decoded.right;
}

/** JSON.parse whose error names what was being read (a file read back, a message body). */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${what} is not JSON: ${(error as Error).message}`);
  }
}
