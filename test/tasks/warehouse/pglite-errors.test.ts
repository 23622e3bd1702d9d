import { describePgliteFailure } from '../../../tasks/warehouse/pglite-errors';

describe('describePgliteFailure', () => {
  it('names what PGlite threw where String() said [object Object]', () => {
    // What PGlite 0.5.16 throws when its directory is a file (its Emscripten FS's ErrnoError, own properties only).
    const thrown = Object.assign(Object.create({ constructor: function ErrnoError() {} }) as object, { name: 'ErrnoError', errno: 54 });
    expect(String(thrown)).toBe('[object Object]');
    expect(describePgliteFailure(thrown)).toBe('ErrnoError ENOTDIR: not a directory');
  });

  it('keeps an Error and its cause, and shows any other object', () => {
    expect(describePgliteFailure(new Error('PGlite failed to initialize properly', { cause: new RangeError('bad') })))
      .toBe('Error: PGlite failed to initialize properly (cause: RangeError: bad)');
    expect(describePgliteFailure({ status: 1 })).toBe('{ status: 1 }');
    expect(describePgliteFailure({ errno: 999 })).toBe('file system error errno 999');
  });
});
