/**
 * Content markers (`content/<sha256>.json`): a note, written by Load once a content is loaded, of the upload it came
 * from. Plan reads it to skip Extract and Transform for the same content uploaded again under another key, and
 * trusts it only while that upload still holds the content (its ETag unchanged): an upload written over since, or
 * deleted, proves nothing. The warehouse stays the judge: Load checks the duplicate in it before reporting one.
 * A marker is an optimisation, so one that cannot be read or written never fails a file.
 */
import { isRight } from 'fp-ts/Either';
import type { ObjectStore } from '../object-store/port';
import { ContentMarkerCodec, type ContentMarker } from './manifests';
import { contentMarkerKeyOf } from './bucket-layout';
import { readAll } from '../object-store/read-all';

export interface Upload { bucket: string; key: string; sha256: string }

/** The marker of an earlier upload of this content that still holds it, or null. */
export async function loadedCopyOf(upload: Upload, storeOf: (bucket: string) => ObjectStore): Promise<ContentMarker | null> {
  const store = storeOf(upload.bucket);
  const markerKey = contentMarkerKeyOf(upload.sha256);
  try {
    if (!(await store.head(markerKey))) return null;
    const decoded = ContentMarkerCodec.decode(JSON.parse((await readAll(store.read(markerKey))).toString('utf8')));
    if (!isRight(decoded)) return null;
    const marker = decoded.right;
    if (marker.bucket === upload.bucket && marker.key === upload.key) return null; // the same upload again: a re-load
    const original = await storeOf(marker.bucket).head(marker.key);
    return original?.etag === marker.etag ? marker : null;
  } catch {
    return null;
  }
}

/** Notes that the upload's content is loaded; best effort (see above). */
export async function markLoaded(store: ObjectStore, sha256: string, marker: ContentMarker): Promise<void> {
  await store.put(contentMarkerKeyOf(sha256), JSON.stringify(ContentMarkerCodec.encode(marker))).catch(() => undefined);
}
