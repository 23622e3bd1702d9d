/**
 * The one command-line parser, over `node:util` parseArgs. A command (and the global options, options.ts, and the
 * benchmarks) declares each option once: its name, short alias, placeholder, description, default, whether it takes
 * a value or repeats, and the io-ts decoder of its value. The same declaration drives the parse, the decoding and
 * the help (`usageOf`, `optionLines`).
 *
 * Bad input is a UsageError naming the option: an unknown option, a missing value, a value given to a switch, a
 * single option given twice, a required one left out, and a value its decoder refuses, reported as the house reports
 * any decoding (tasks/decoding/decode.ts): `--settle: expected a duration like 500ms or 2s, got "abc"`. Nothing
 * becomes NaN. Kept light (node:util, io-ts, the reporter): `cafe-etl --help` loads it.
 */
import { parseArgs } from 'node:util';
import * as t from 'io-ts';
import { describeErrors } from '../../tasks/decoding/decode';

/** Bad command-line input: main.ts prints it with the help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

// ---- Value decoders: io-ts types from an option's text, named for the message. ----

/** A decoder of an option's text; its name is what the message says was expected. */
export type ValueDecoder<A> = t.Decoder<unknown, A>;
/** The decoders below, as io-ts types (so a codec of the environment can use them too). */
export type TextType<A> = t.Type<A, string, unknown>;

function fromText<A>(name: string, parse: (text: string) => A | undefined): TextType<A> {
  return new t.Type<A, string, unknown>(
    name,
    (u): u is A => u !== undefined,
    (u, c) => {
      const a = typeof u === 'string' ? parse(u) : undefined;
      return a === undefined ? t.failure(u, c) : t.success(a);
    },
    String,
  );
}

/** Digits only (no sign, exponent, hex, spaces or fraction), from `min` to `max`. */
export const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): TextType<number> =>
  fromText(name, (text) => (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined));

export const PositiveInteger = integer('a positive integer', 1);
export const WholeNumber = integer('a whole number', 0);
export const Port = integer('a port from 0 to 65535', 0, 65_535);

/** Digits with an optional fraction (`0.5`, `100`), more than zero. */
export const PositiveNumber = fromText('a positive number', (text) => (/^\d+(\.\d+)?$/.test(text) && Number(text) > 0 ? Number(text) : undefined));

/** Milliseconds: `500` or `500ms`, or seconds: `2s`; at least 1 ms. */
/** `500`, `500ms`, `2s` as milliseconds; NaN for anything else. */
function millisecondsOf(text: string): number {
  const match = /^(\d+)(ms|s)?$/.exec(text);
  return match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : NaN;
}

export const Duration = fromText('a duration like 500ms or 2s', (text) => {
  const ms = millisecondsOf(text);
  return Number.isSafeInteger(ms) && ms >= 1 ? ms : undefined;
});

/** The batch loader's window: a duration from 0 up to SQS's longest batching window, 300 s. */
export const LoadWindow = fromText('a duration from 0 to 300s, like 500ms or 2s', (text) => {
  const ms = millisecondsOf(text);
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= 300_000 ? ms : undefined;
});

/** One of `values` (matched regardless of case when `ignoreCase`, answered as declared). */
export function oneOf<K extends string>(values: readonly K[], { ignoreCase = false } = {}): TextType<K> {
  const fold = (s: string) => (ignoreCase ? s.toUpperCase() : s);
  return fromText(`one of ${values.join(', ')}`, (text) => values.find((v) => fold(v) === fold(text)));
}

/** Any text but the empty string. */
export const nonEmpty = (name: string): TextType<string> => fromText(name, (text) => (text === '' ? undefined : text));

// ---- Declarations ----

/** One option as declared; `T` is its value in the parse's result. */
export interface Option<T> {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple: boolean;
  readonly required: boolean;
  /** What the help shows for its value (`N`, `DIR`); empty for a switch. */
  readonly placeholder: string;
  readonly description: string;
  readonly decoder?: ValueDecoder<unknown>;
  readonly default?: unknown;
  /** How the help shows the default, when not as String(default). */
  readonly defaultText?: string;
  /** Type only: the value's type. */
  readonly _value?: T;
}

export type Options = Readonly<Record<string, Option<unknown>>>;
export type Values<O extends Options> = { -readonly [K in keyof O]: O[K] extends Option<infer T> ? T : never };

interface Extra<A> {
  short?: string;
  decode?: ValueDecoder<A>;
  defaultText?: string;
}

/** A switch: true when given, else false. */
export const flag = (description: string, extra: { short?: string } = {}): Option<boolean> =>
  ({ type: 'boolean', multiple: false, required: false, placeholder: '', description, ...extra });

/** An option with a value: its default (or undefined) when not given. */
export function option<A = string>(placeholder: string, description: string, extra: Extra<A> & { default: NoInfer<A> }): Option<NoInfer<A>>;
export function option<A = string>(placeholder: string, description: string, extra?: Extra<A>): Option<NoInfer<A> | undefined>;
export function option<A>(placeholder: string, description: string, extra: Extra<A> & { default?: A } = {}): Option<A | undefined> {
  const { decode, ...rest } = extra;
  return { type: 'string', multiple: false, required: false, placeholder, description, ...(decode ? { decoder: decode } : {}), ...rest };
}

/** An option that must be given. */
export const required = <A = string>(placeholder: string, description: string, extra: Extra<A> = {}): Option<NoInfer<A>> =>
  ({ ...option(placeholder, description, extra), required: true }) as Option<A>;

/** An option that may be given any number of times: every value, in order (none: []). */
export const repeatable = <A = string>(placeholder: string, description: string, extra: Extra<A> = {}): Option<NoInfer<A>[]> =>
  ({ ...option(placeholder, description, extra), multiple: true }) as Option<A[]>;

// ---- Parsing ----

export interface Parsed<O extends Options> {
  values: Values<O>;
  /** Arguments that are not options (and everything after `--`), in order. */
  positionals: string[];
}

type Token = ReturnType<typeof parseArgs>['tokens'] extends (infer U)[] | undefined ? U : never;

function tokensOf(args: readonly string[], options: Options): Token[] {
  const declared = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  // Not strict: the checks below name the option in the house's words rather than parseArgs's.
  return parseArgs({ args: [...args], options: declared, strict: false, allowPositionals: true, tokens: true }).tokens;
}

/** Decodes `args` by the declarations: every option checked and decoded, or a UsageError naming what is wrong. */
export function parseOptions<O extends Options>(args: readonly string[], options: O): Parsed<O> {
  const given = new Map<string, string[]>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokensOf(args, options)) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const declared = Object.hasOwn(options, token.name) ? options[token.name]! : undefined;
    if (!declared) throw new UsageError(`unknown option ${token.rawName}`);
    const flagName = `--${token.name}`;
    if ((switches.has(token.name) || given.has(token.name)) && !declared.multiple) throw new UsageError(`${flagName} is given more than once`);
    if (declared.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flagName} takes no value (got '${token.value}')`);
      switches.add(token.name);
    } else {
      if (token.value === undefined) throw new UsageError(`${flagName} needs a value`);
      given.set(token.name, [...(given.get(token.name) ?? []), token.value]);
    }
  }

  const errors: t.ValidationError[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, declared] of Object.entries(options)) {
    if (declared.type === 'boolean') {
      values[name] = switches.has(name);
      continue;
    }
    const decoded = (given.get(name) ?? []).map((text) => {
      if (!declared.decoder) return text;
      const result = declared.decoder.validate(text, [{ key: `--${name}`, type: declared.decoder, actual: text }]);
      if (result._tag === 'Left') errors.push(...result.left);
      return result._tag === 'Right' ? result.right : undefined;
    });
    values[name] = declared.multiple ? decoded : decoded.length > 0 ? decoded[0] : declared.default;
  }
  if (errors.length > 0) throw new UsageError(describeErrors(errors));
  const missing = Object.entries(options).filter(([name, o]) => o.required && !given.has(name)).map(([name]) => `--${name}`);
  if (missing.length > 0) throw new UsageError(`${joinAnd(missing)} ${missing.length > 1 ? 'are' : 'is'} required`);
  return { values: values as Values<O>, positionals };
}

export interface Split<O extends Options> extends Parsed<O> {
  /** The arguments that are not these options, as given (other options with them), in order. */
  rest: string[];
}

/**
 * Takes these options out of `args` wherever they stand (before `--`) and leaves every other argument, as given, to
 * a later parse: the global options around a command's own.
 */
export function splitOptions<O extends Options>(args: readonly string[], options: O): Split<O> {
  const taken: string[] = [];
  const rest: string[] = [];
  const kept = new Set<number>();
  for (const token of tokensOf(args, options)) {
    const ours = token.kind === 'option' && Object.hasOwn(options, token.name) && token.rawName.startsWith('--');
    if (ours) {
      taken.push(args[token.index]!);
      if (options[token.name]!.type === 'string' && token.inlineValue === false) taken.push(token.value!);
    } else if (!kept.has(token.index)) {
      kept.add(token.index);
      rest.push(args[token.index]!);
    }
  }
  return { ...parseOptions(taken, options), rest };
}

// ---- Help, from the same declarations ----

const joinAnd = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);

const withValue = (name: string, o: Option<unknown>) => `--${name}${o.type === 'string' ? ` ${o.placeholder}` : ''}`;

/** `--port P` as a usage shows it: in brackets unless required (or `needed`), `…` after a repeatable one. */
export function synopsisOf(name: string, o: Option<unknown>, needed = false): string {
  const text = withValue(name, o);
  return `${o.required || needed ? text : `[${text}]`}${o.multiple ? '…' : ''}`;
}

/**
 * A usage line from a template: `{name}` is that option's synopsis (`{name!}`: needed in this form), looked up in
 * `options`, then in `others` (the global options a command's usage mentions); the rest is as written.
 */
export function renderForm(template: string, options: Options, others: Options = {}): string {
  return template.replace(/\{([\w-]+)(!?)\}/g, (_, name: string, needed: string) => {
    const o = Object.hasOwn(options, name) ? options[name] : Object.hasOwn(others, name) ? others[name] : undefined;
    if (!o) throw new Error(`usage '${template}' names no declared option --${name}`);
    return synopsisOf(name, o, needed === '!');
  });
}

/** Option names longer than this put their description on the next line. */
const HEAD_WIDTH = 24;

/** One line per option: `  --name P, -n  what it is (default D)`, aligned. */
export function optionLines(options: Options): string[] {
  const entries = Object.entries(options);
  const heads = entries.map(([name, o]) => `${withValue(name, o)}${o.short ? `, -${o.short}` : ''}`);
  const width = Math.max(0, ...heads.map((h) => h.length).filter((n) => n <= HEAD_WIDTH));
  return entries.flatMap(([, o], i) => {
    const shown = o.defaultText ?? (o.default === undefined ? undefined : String(o.default));
    const text = `${o.description}${shown === undefined ? '' : ` (default ${shown})`}${o.required ? ' (required)' : ''}`;
    const head = heads[i]!;
    return head.length > width ? [`  ${head}`, `  ${' '.repeat(width)}  ${text}`] : [`  ${head.padEnd(width)}  ${text}`];
  });
}

// ---- Commands ----

/** A command as the help and the parser know it (command-list.ts declares every one). */
export interface CommandSpec<O extends Options = Options> {
  name: string;
  /** One line for `cafe-etl help`. */
  summary: string;
  options: O;
  /** Usage forms (templates for renderForm); by default the name then every option. */
  forms?: readonly string[];
  /** Every argument is an operand, taken as typed (query's SQL): no options to parse. */
  verbatim?: boolean;
}

/** The usage line, without the program name: the forms joined by ` | `. */
export function usageOf(spec: CommandSpec, globals: Options = {}): string {
  const forms = spec.forms ?? [[spec.name, ...Object.keys(spec.options).map((name) => `{${name}}`)].join(' ')];
  return forms.map((form) => renderForm(form, spec.options, globals)).join(' | ');
}

/** `cafe-etl COMMAND --help`: the usage line, then what each option is. */
export function commandHelp(spec: CommandSpec, globals: Options = {}): string {
  const lines = [`usage: cafe-etl ${usageOf(spec, globals)}`];
  if (Object.keys(spec.options).length > 0) lines.push('', ...optionLines(spec.options));
  lines.push('', 'The global options (cafe-etl help) go before or after the command.');
  return lines.join('\n');
}

/** A command's own arguments, decoded by its declaration. */
export function parseCommandArgs<O extends Options>(spec: CommandSpec<O>, args: readonly string[]): Parsed<O> {
  return spec.verbatim ? { ...parseOptions([], spec.options), positionals: [...args] } : parseOptions(args, spec.options);
}

// ---- Scripts (the benchmarks) ----

/**
 * A script's arguments by the same declarations: `--help` prints its usage and options and exits 0; bad input
 * prints `SCRIPT: what is wrong` with them and exits 2, before the script does anything.
 */
export function parseScriptArgs<O extends Options>(script: string, usage: string, options: O, args: readonly string[] = process.argv.slice(2)): Parsed<O> {
  const help = () => [`usage: ${usage}`, '', ...optionLines(options)].join('\n');
  if (args.includes('--help')) {
    process.stdout.write(`${help()}\n`);
    process.exit(0);
  }
  try {
    return parseOptions(args, options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${script}: ${error.message}\n${help()}\n`);
    process.exit(2);
  }
}
