/**
 * What the owner of an embedded warehouse writes into its lock file, decoded with io-ts wherever it is read: the
 * file is written by another process, possibly another version, possibly half a machine crash ago.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { decodeReported } from '../../decoding/decode';

const Endpoint = t.type({ host: t.string, port: t.number });
export type Endpoint = t.TypeOf<typeof Endpoint>;

const IdentityFields = {
  pid: t.number,
  startTicks: t.union([t.string, t.null]),
  bootId: t.union([t.string, t.null]),
  hostname: t.string,
};
export const ProcessIdentityCodec = t.type(IdentityFields);

export const OwnerRecordCodec = t.type({
  version: t.literal(1),
  /** Unique per acquisition: tells this holding of the lock from an earlier one by the same PID. */
  token: t.string,
  ...IdentityFields,
  command: t.string,
  startedAt: t.string,
  /** starting: opening the database; serving: at `endpoint`; stopping: closing it, about to release the lock;
   *  exclusive: owns it but serves nobody. */
  state: t.keyof({ starting: null, serving: null, stopping: null, exclusive: null }),
  endpoint: t.union([Endpoint, t.null]),
});
export type OwnerRecord = t.TypeOf<typeof OwnerRecordCodec>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export const decodeOwnerRecord = (text: string): Decoded<OwnerRecord> => decodeJson(OwnerRecordCodec, text);
export const decodeIdentity = (text: string): Decoded<t.TypeOf<typeof ProcessIdentityCodec>> => decodeJson(ProcessIdentityCodec, text);

function decodeJson<T>(codec: t.Decoder<unknown, T>, text: string): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const decoded = decodeReported(codec, json);
  return isLeft(decoded) ? { ok: false, reason: decoded.left } : { ok: true, value: decoded.right };
}

export function encodeOwnerRecord(record: OwnerRecord): string {
  return `${JSON.stringify(OwnerRecordCodec.encode(record), null, 2)}\n`;
}

export function describeOwner(owner: OwnerRecord): string {
  return `pid ${owner.pid} (${owner.command}) since ${owner.startedAt}`;
}

/** A libpq URL any PostgreSQL client understands; PGlite's socket server speaks no SSL. */
export function endpointUrl(endpoint: Endpoint): string {
  return `postgres://postgres@${endpoint.host}:${endpoint.port}/postgres?sslmode=disable`;
}
