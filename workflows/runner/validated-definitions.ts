/**
 * Definitions already validated, remembered under the home. AWS validates a definition when the state machine is
 * created or updated (CreateStateMachine, UpdateStateMachine), not at every execution; locally the ASL validator (ajv compiling its schemas) took ~190 ms of
 * every `cafe-etl run`. A definition is validated again whenever its text or the interpreter's version changes: the
 * digest covers both. A refused definition is never remembered.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AslDefinition } from './definition';

export interface ValidatedDefinitions {
  has(digest: string): boolean;
  add(digest: string): void;
}

let interpreterVersion: string | undefined;

/** The version of aws-local-stepfunctions (and so of its validator) installed beside this code. */
function validatorVersion(): string {
  if (interpreterVersion === undefined) {
    const main = require.resolve('aws-local-stepfunctions');
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version?: unknown };
    interpreterVersion = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return interpreterVersion;
}

export function definitionDigest(definition: AslDefinition): string {
  return createHash('sha256').update(`aws-local-stepfunctions ${validatorVersion()}\n`).update(JSON.stringify(definition)).digest('hex');
}

/** One empty marker file per validated digest in `dir`. */
export function validatedDefinitionsIn(dir: string): ValidatedDefinitions {
  const marker = (digest: string): string => path.join(dir, digest);
  return {
    has: (digest) => fs.existsSync(marker(digest)),
    add: (digest) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(marker(digest), '');
    },
  };
}
