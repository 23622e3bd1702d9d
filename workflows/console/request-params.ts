/**
 * The console's request edge: every query parameter and path segment it reads is decoded here with io-ts, so a
 * bad one (malformed percent-encoding, an id that is too long or could name a path, a date that is no date) is a
 * 400 naming the parameter before any backend sees it, never an exception with a stack.
 */
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { describeErrors } from '../../tasks/decoding/decode';
import type { DashboardFilter, ExecutionFilter } from './backend';

export interface BadRequest {
  /** The parameter or path segment at fault, as the API names it. */
  parameter: string;
  message: string;
}

/** Percent-decoded text (strictly: `%zz` or a cut UTF-8 sequence is refused), then checked by `inner`. */
function percentDecoded<A>(inner: t.Type<A, string, unknown>, form: boolean): t.Type<A, string, unknown> {
  return new t.Type<A, string, unknown>(
    inner.name,
    inner.is,
    (input, context) => {
      if (typeof input !== 'string') return t.failure(input, context, 'expected text');
      try {
        return inner.validate(decodeURIComponent(form ? input.replace(/\+/g, ' ') : input), context);
      } catch {
        return t.failure(input, context, 'malformed percent-encoding');
      }
    },
    (value) => encodeURIComponent(inner.encode(value)),
  );
}

/** Text matching `test`, named for the error message. */
function text(name: string, test: (s: string) => boolean): t.Type<string, string, unknown> {
  return new t.Type<string, string, unknown>(name, (u): u is string => typeof u === 'string' && test(u), (u, c) => (typeof u === 'string' && test(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

/**
 * Execution names (AWS: at most 80 characters) and ARNs (`arn:…:execution:<machine>:<name>`), in the characters
 * both use: nothing that could name a path, nothing longer than a history file name can be.
 */
export const ExecutionIdCodec = text('an execution name or ARN (letters, digits, . _ - :; a name of at most 80)', (s) =>
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/.test(s) && s.length - s.lastIndexOf(':') - 1 <= 80);

/** A calendar date the warehouse can hold: `2021-99-99`, `2021-02-30` and year 0 are not. */
export const IsoDateCodec = text('a calendar date YYYY-MM-DD', (s) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s.startsWith('0000')) return false;
  const date = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
});

/** A branch name as the warehouse holds it: at most 256 characters (VARCHAR(256)), no control characters. */
const BranchCodec = text('a branch name of at most 256 characters', (s) => s.length <= 256 && !Array.from(s).some((c) => c < ' ' || c === '\u007f'));

/** Product names, sizes and flavours as the warehouse holds them (VARCHAR(256)), no control characters. */
const ProductTextCodec = text('a product name, size or flavour of at most 256 characters', (s) => s.length <= 256 && !Array.from(s).some((c) => c < ' ' || c === '\u007f'));

const StatusCodec = t.keyof({ RUNNING: null, SUCCEEDED: null, FAILED: null, TIMED_OUT: null, ABORTED: null }, 'one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED');

/** A parameter given at most once; given empty, it is not given. */
function single<A>(codec: t.Type<A, string, unknown>): t.Type<A | undefined, string[], unknown> {
  const decoded = percentDecoded(codec, true);
  return new t.Type<A | undefined, string[], unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (input, context) => {
      const values = (input ?? []) as string[];
      if (values.length > 1) return t.failure(input, context, 'given more than once');
      if (values.length === 0 || values[0] === '') return t.success(undefined);
      return decoded.validate(values[0], context);
    },
    (value) => (value === undefined ? [] : [decoded.encode(value)]),
  );
}

/** A parameter that may be repeated (at most 200 times); empty values are left out. */
function repeated<A>(codec: t.Type<A, string, unknown>): t.Type<A[], string[], unknown> {
  const decoded = percentDecoded(codec, true);
  return new t.Type<A[], string[], unknown>(
    codec.name,
    (u): u is A[] => Array.isArray(u) && u.every(codec.is),
    (input, context) => {
      const values = ((input ?? []) as string[]).filter((v) => v !== '');
      if (values.length > 200) return t.failure(input, context, 'given more than 200 times');
      const out: A[] = [];
      for (const [i, value] of values.entries()) {
        const one = decoded.validate(value, [...context, { key: String(i), type: decoded, actual: value }]);
        if (isLeft(one)) return one;
        out.push(one.right);
      }
      return t.success(out);
    },
    (values) => values.map((v) => decoded.encode(v)),
  );
}

const ExecutionsQuery = t.type({ status: single(StatusCodec) });
const DashboardQuery = t.type({
  from: single(IsoDateCodec), to: single(IsoDateCodec), branch: repeated(BranchCodec),
  // A product's trend: name and size, and its flavour (absent: the product has none).
  product: single(ProductTextCodec), size: single(ProductTextCodec), flavour: single(ProductTextCodec),
});
const ExecutionPath = t.type({ executionId: percentDecoded(ExecutionIdCodec, false) });

/** The raw (still percent-encoded) values of each query parameter, in order. Unknown parameters are ignored later. */
export function rawQuery(search: string): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    (values[name] ??= []).push(at === -1 ? '' : pair.slice(at + 1));
  }
  return values;
}

function decode<A>(codec: t.Type<A, unknown, unknown>, input: Record<string, unknown>): Either<BadRequest, A> {
  const decoded = codec.decode(input);
  if (!isLeft(decoded)) return right(decoded.right);
  const first = decoded.left[0];
  const parameter = first?.context.find((entry) => entry.key !== '')?.key ?? '(request)';
  const reason = first?.message ? `${parameter}: ${first.message}` : describeErrors(decoded.left);
  return left({ parameter, message: `bad request: ${reason}` });
}

export const executionsFilterOf = (search: string): Either<BadRequest, ExecutionFilter> => {
  const decoded = decode(ExecutionsQuery, rawQuery(search));
  return isLeft(decoded) ? decoded : right(decoded.right.status ? { status: decoded.right.status } : {});
};

export const dashboardFilterOf = (search: string): Either<BadRequest, DashboardFilter> => {
  const decoded = decode(DashboardQuery, rawQuery(search));
  if (isLeft(decoded)) return decoded;
  const { from, to, branch, product, size, flavour } = decoded.right;
  if ((product === undefined) !== (size === undefined) || (flavour !== undefined && product === undefined)) {
    return left({ parameter: product === undefined ? 'product' : 'size', message: 'bad request: product and size go together (flavour with them)' });
  }
  if (from !== undefined && to !== undefined && from > to) return left({ parameter: 'from', message: 'bad request: from: after to' });
  return right({
    ...(from ? { from } : {}), ...(to ? { to } : {}), branches: branch,
    ...(product !== undefined && size !== undefined ? { product: { product, size, flavour: flavour ?? null } } : {}),
  });
};

/** The API's routes, by path segment (still percent-encoded); an execution id is decoded by executionIdOf. */
export type ApiRoute =
  | { route: 'executions' }
  | { route: 'execution'; segment: string }
  | { route: 'redrive'; segment: string }
  | { route: 'dlq' }
  | { route: 'dlq-redrive' }
  | { route: 'dashboard' }
  | { route: 'events' };

const Segment = text('a path segment', (s) => s !== '' && !s.includes('/'));
/** io-ts tuples strip extra components; a route's path has exactly its segments. */
function path<C extends [t.Mixed, ...t.Mixed[]]>(...segments: C): t.Type<unknown[], unknown[], unknown> {
  const tuple = t.tuple(segments as unknown as [t.Mixed, t.Mixed]);
  return new t.Type<unknown[], unknown[], unknown>(
    tuple.name, (u): u is unknown[] => Array.isArray(u) && u.length === segments.length && tuple.is(u),
    (u, c) => (Array.isArray(u) && u.length === segments.length ? tuple.validate(u, c) : t.failure(u, c, `not ${segments.length} segments`)),
    t.identity,
  );
}
const api = (name: string) => t.literal(name);
const ApiPath = t.union([
  t.type({ route: t.literal('executions'), segments: path(api('api'), api('executions')) }),
  t.type({ route: t.literal('execution'), segments: path(api('api'), api('executions'), Segment) }),
  t.type({ route: t.literal('redrive'), segments: path(api('api'), api('executions'), Segment, api('redrive')) }),
  t.type({ route: t.literal('dlq'), segments: path(api('api'), api('dlq')) }),
  t.type({ route: t.literal('dlq-redrive'), segments: path(api('api'), api('dlq'), api('redrive')) }),
  t.type({ route: t.literal('dashboard'), segments: path(api('api'), api('dashboard')) }),
  t.type({ route: t.literal('events'), segments: path(api('api'), api('events')) }),
]);

/** The API route a path names, or undefined (a 404): the path's segments decoded against each route's shape. */
export function apiRouteOf(pathname: string): ApiRoute | undefined {
  const segments = pathname.split('/').slice(1);
  for (const route of ['executions', 'execution', 'redrive', 'dlq', 'dlq-redrive', 'dashboard', 'events'] as const) {
    const decoded = ApiPath.decode({ route, segments });
    if (isLeft(decoded)) continue;
    const [, , segment] = decoded.right.segments as readonly string[];
    return route === 'execution' || route === 'redrive' ? { route, segment: segment! } : ({ route } as ApiRoute);
  }
  return undefined;
}

/** The execution id of `/api/executions/<segment>…`, from the segment as it came on the wire. */
export const executionIdOf = (segment: string): Either<BadRequest, string> => {
  const decoded = decode(ExecutionPath, { executionId: segment });
  return isLeft(decoded) ? decoded : right(decoded.right.executionId);
};
