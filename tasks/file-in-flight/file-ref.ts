/**
 * The file in flight: the uploaded object as every state, the warehouse and the workflows know it. Identity by bucket
 * and key (what a re-upload replaces), content by SHA-256 (what a duplicate shares), size for Plan's byte ranges.
 */
import * as t from 'io-ts';
import { CountCodec, NonEmptyStringCodec, Sha256Codec } from '../decoding/refined';

export const FileRefCodec = t.type({ bucket: NonEmptyStringCodec, key: NonEmptyStringCodec, size: CountCodec, sha256: Sha256Codec });
export type FileRef = t.TypeOf<typeof FileRefCodec>;
