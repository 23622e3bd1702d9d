/**
 * The parts of an Amazon States Language definition this project reads (the runner, the AWS target, the console's
 * graph), as one io-ts codec: a definition that does not have them is an error naming the field, not a crash
 * further on. Every other field passes through untouched, for the interpreter.
 */
import * as t from 'io-ts';

export interface AslRetrier { ErrorEquals: string[]; MaxAttempts?: number; [field: string]: unknown }
export interface AslCatcher { ErrorEquals: string[]; Next: string; [field: string]: unknown }
export interface AslState {
  Type: string;
  Comment?: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string; [field: string]: unknown }[];
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
  TimeoutSeconds?: number;
  [field: string]: unknown;
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

const Retrier = t.intersection([t.type({ ErrorEquals: t.array(t.string) }), t.partial({ MaxAttempts: t.number })]);
const Catcher = t.type({ ErrorEquals: t.array(t.string), Next: t.string });

export const AslDefinitionCodec: t.Type<AslDefinition, unknown, unknown> = t.recursion('an ASL definition', () =>
  t.type({ StartAt: t.string, States: t.record(t.string, AslStateCodec) }) as unknown as t.Type<AslDefinition, unknown, unknown>,
);

const AslStateCodec: t.Type<AslState, unknown, unknown> = t.recursion('an ASL state', () =>
  t.intersection([
    t.type({ Type: t.string }),
    t.partial({
      Comment: t.string,
      Resource: t.string,
      Next: t.string,
      End: t.boolean,
      Default: t.string,
      Choices: t.array(t.partial({ Next: t.string })),
      Retry: t.array(Retrier),
      Catch: t.array(Catcher),
      ItemProcessor: AslDefinitionCodec,
      Iterator: AslDefinitionCodec,
      Branches: t.array(AslDefinitionCodec),
      TimeoutSeconds: t.number,
    }),
  ]) as unknown as t.Type<AslState, unknown, unknown>,
);
