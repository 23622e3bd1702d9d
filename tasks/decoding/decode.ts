/**
 * The project's one decoding layer and its one error reporter. Whatever crosses an edge (an event, a staged
 * manifest, a file read back, the environment, a URL, an HTTP parameter, a warehouse row) is decoded with an io-ts
 * codec, and a value that does not match is reported by describeErrors: every wrong field named once
 * (`file.sha256: expected a SHA-256 in hex, got 42`), or the codec's own message where it gives one.
 */
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { InvalidInputError } from '../domain/errors';

/** Values are shown shortened: events carry pointers and counts only, but a message is no place for a blob. */
function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const COMBINATORS = new Set(['IntersectionType', 'UnionType']);

/** The field an error is about, as a dotted path (`file.sha256`). */
function pathOf(error: t.ValidationError): string {
  // Keys under an intersection or union are member positions, not fields: leave them out of the path.
  const path = error.context
    .filter((entry, i) => entry.key !== '' && !COMBINATORS.has((error.context[i - 1]?.type as { _tag?: string } | undefined)?._tag ?? ''))
    .map((entry) => entry.key)
    .join('.');
  return path === '' ? '(the whole input)' : path;
}

function describe(error: t.ValidationError): string {
  // A codec that knows better (a staged line, a percent-encoding) says so itself; its message never holds a value.
  if (error.message) return `${pathOf(error)}: ${error.message}`;
  const expected = error.context[error.context.length - 1]?.type.name ?? 'a value';
  return `${pathOf(error)}: expected ${expected}, got ${shown(error.value)}`;
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

/** A codec's verdict as an Either whose Left is the report: for callers that keep errors as values. */
export function decodeReported<A>(codec: t.Decoder<unknown, A>, input: unknown): Either<string, A> {
  const decoded = codec.decode(input);
  return isLeft(decoded) ? left(describeErrors(decoded.left)) : right(decoded.right);
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
