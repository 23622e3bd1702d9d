/** The store of a warehouse opened for queries or migrations only: any load through it is a programming error. */
import { InvalidInputError } from '../domain/errors';
import type { ObjectStore } from './port';

export const NO_STAGING: ObjectStore = {
  bucket: 'none',
  head: () => refuse(),
  read: () => refuse(),
  put: () => refuse(),
  list: () => refuse(),
  delete: () => refuse(),
};

function refuse(): never {
  throw new InvalidInputError('this warehouse was opened without a staging store, so it cannot load files');
}
