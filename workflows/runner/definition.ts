/**
 * The state machine definition, read from `statemachine.asl.json` (the single source of truth) with its
 * `${Placeholders}` filled in, and the facts the runner derives from it: which Task states exist and what
 * each one's Resource is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isLeft } from 'fp-ts/Either';
import { PROJECT_ROOT } from '../project-root';
import { decodeReported } from '../../tasks/decoding/decode';
import { AslDefinitionCodec, type AslDefinition, type AslState } from './asl-codec';

export const DEFINITION_FILE = path.join(PROJECT_ROOT, 'statemachine.asl.json');

export type { AslDefinition, AslState } from './asl-codec';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export function readDefinitionText(file = DEFINITION_FILE): string {
  return fs.readFileSync(file, 'utf8');
}

/** Every `${Name}` placeholder the definition uses, sorted and without repeats. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** Fills every placeholder; a placeholder without a value is an error, not a silently broken ARN. */
export function substitute(text: string, values: Readonly<Record<string, string>>): AslDefinition {
  const missing = placeholdersOf(text).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new Error(`no value for placeholder(s) ${missing.map((m) => `\${${m}}`).join(', ')}`);
  return decodeDefinition(JSON.parse(text.replace(PLACEHOLDER, (_, name: string) => values[name]!)));
}

/** A parsed definition checked against the ASL codec: a malformed one fails here, naming the field. */
export function decodeDefinition(json: unknown): AslDefinition {
  const decoded = decodeReported(AslDefinitionCodec, json);
  if (isLeft(decoded)) throw new Error(`state machine definition: ${decoded.left}`);
  return decoded.right;
}

export interface TaskStateInfo {
  state: string;
  resource: string;
  /** The state as written. */
  body: AslState;
  /** The Map state it runs inside, if any. */
  parentMap?: string;
}

/** Every Task state, top level and inside Map item processors, with its Resource. */
export function taskStatesOf(definition: AslDefinition, parentMap?: string): TaskStateInfo[] {
  return Object.entries(definition.States).flatMap(([state, body]): TaskStateInfo[] => {
    const nested = body.ItemProcessor ?? body.Iterator;
    if (body.Type === 'Map' && nested) return taskStatesOf(nested, state);
    if (body.Type === 'Task' && typeof body.Resource === 'string') {
      return [{ state, resource: body.Resource, body, ...(parentMap ? { parentMap } : {}) }];
    }
    return [];
  });
}

/** The top-level state a state name belongs to: itself, or the Map it runs inside. */
export function topLevelStateOf(definition: AslDefinition, state: string): string {
  if (definition.States[state]) return state;
  const owner = taskStatesOf(definition).find((t) => t.state === state)?.parentMap;
  if (!owner) throw new Error(`state '${state}' is not in the definition`);
  return owner;
}

/** The same definition starting at another top-level state: how a redrive skips the states that succeeded. */
export function startingAt(definition: AslDefinition, state: string): AslDefinition {
  if (!definition.States[state]) throw new Error(`cannot start at '${state}': not a top-level state`);
  return { ...definition, StartAt: state };
}

/**
 * aws-local-stepfunctions gives a Task without TimeoutSeconds 60 s, where Step Functions waits as long as the
 * Lambda may run. Give such Tasks Lambda's own ceiling (900 s) so a large local load is not cut short.
 */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
export function withLambdaTimeouts(definition: AslDefinition): AslDefinition {
  const states = Object.fromEntries(
    Object.entries(definition.States).map(([name, body]) => {
      const nested = body.ItemProcessor ?? body.Iterator;
      if (body.Type === 'Map' && nested) {
        const key = body.ItemProcessor ? 'ItemProcessor' : 'Iterator';
        return [name, { ...body, [key]: withLambdaTimeouts(nested) }];
      }
      if (body.Type === 'Task' && body.TimeoutSeconds === undefined && body.TimeoutSecondsPath === undefined) {
        return [name, { ...body, TimeoutSeconds: LAMBDA_MAX_TIMEOUT_SECONDS }];
      }
      return [name, body];
    }),
  );
  return { ...definition, States: states };
}

/** Each state's ResultPath (Map inner states included): where the history finds a state's own result. */
export function resultPathsOf(definition: AslDefinition): Record<string, string | null | undefined> {
  const paths: Record<string, string | null | undefined> = {};
  const walk = (def: AslDefinition): void => {
    for (const [name, state] of Object.entries(def.States)) {
      paths[name] = state.ResultPath as string | null | undefined;
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) walk(nested);
    }
  };
  walk(definition);
  return paths;
}

/** A Task that waits for its task token (`….waitForTaskToken`): the callback pattern. */
export const isCallbackResource = (resource: string): boolean => resource.endsWith('.waitForTaskToken');

/** What stands for `$$.Task.Token` in the local definition's Parameters; the runner puts a fresh token there per attempt. */
export const TASK_TOKEN_MARKER = 'local:$$.Task.Token';
const TASK_TOKEN_PATH = '$$.Task.Token';
/** A callback Task's stand-in timeout: the runner enforces the state's own TimeoutSeconds and HeartbeatSeconds. */
const CALLBACK_NO_TIMEOUT_SECONDS = 2_000_000;

/**
 * The definition as the interpreter runs it locally: aws-local-stepfunctions has no `$$.Task.Token` (its context object
 * is the execution's, fixed) and no HeartbeatSeconds. In each callback Task's Parameters, every `"X.$": "$$.Task.Token"`
 * becomes `"X": TASK_TOKEN_MARKER`, which the runner's handler replaces with a token of its own for each attempt, and
 * the state's TimeoutSeconds and HeartbeatSeconds are left to that handler, which fails the task with States.Timeout or
 * States.HeartbeatTimeout as Step Functions would.
 */
export function withCallbackTokens(definition: AslDefinition): AslDefinition {
  const states = Object.fromEntries(
    Object.entries(definition.States).map(([name, body]) => {
      const nested = body.ItemProcessor ?? body.Iterator;
      if (body.Type === 'Map' && nested) {
        const key = body.ItemProcessor ? 'ItemProcessor' : 'Iterator';
        return [name, { ...body, [key]: withCallbackTokens(nested) }];
      }
      if (body.Type !== 'Task' || typeof body.Resource !== 'string' || !isCallbackResource(body.Resource)) return [name, body];
      let tokens = 0;
      const replace = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(replace);
        if (value === null || typeof value !== 'object') return value;
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => {
          if (key.endsWith('.$') && v === TASK_TOKEN_PATH) {
            tokens++;
            return [key.slice(0, -2), TASK_TOKEN_MARKER];
          }
          if (typeof v === 'string' && v.includes(TASK_TOKEN_PATH)) throw new Error(`state '${name}': $$.Task.Token is supported locally only as a whole path ("X.$": "$$.Task.Token")`);
          return [key, replace(v)];
        }));
      };
      const Parameters = replace(body.Parameters);
      // Step Functions refuses a .waitForTaskToken Task that does not pass its token on.
      if (tokens === 0) throw new Error(`state '${name}' waits for a task token but its Parameters do not pass $$.Task.Token`);
      const { HeartbeatSeconds: _h, HeartbeatSecondsPath: _hp, TimeoutSecondsPath: _tp, ...rest } = body;
      return [name, { ...rest, Parameters, TimeoutSeconds: CALLBACK_NO_TIMEOUT_SECONDS }];
    }),
  );
  return { ...definition, States: states };
}

/** The value with every TASK_TOKEN_MARKER replaced by `token`. */
export function fillTaskToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_MARKER) return token;
  if (Array.isArray(value)) return value.map((v) => fillTaskToken(v, token));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fillTaskToken(v, token)]));
}
