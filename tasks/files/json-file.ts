/** A JSON file written by this project, read back and decoded; undefined when it is not there (yet, or any more). */
import * as fs from 'node:fs/promises';
import type * as t from 'io-ts';
import { decodeOrThrow, parseJson } from '../decoding/decode';

export async function readJsonFile<A>(file: string, codec: t.Type<A, unknown, unknown>, what: string): Promise<A | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeOrThrow(codec, parseJson(text, `${what} ${file}`), `${what} ${file}`);
}
