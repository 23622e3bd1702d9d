/**
 * Requires a package whose own top-level requires include modules it needs only on some paths, handing it, for those,
 * a stand-in that loads the real module on first use (a call, a `new`, or reading a property). The real module is
 * then required exactly as the package would have required it (from the package's own directory, so its own nested
 * version), just later. Under Node's CommonJS loader only: where modules load otherwise (jest's registry), or when the
 * package is already loaded, it is required as it is.
 */
import * as nodeModule from 'node:module';

type Loader = { require(this: NodeJS.Module, request: string): unknown };

export function requireDeferring(requireFn: NodeJS.Require, id: string, deferred: readonly string[]): unknown {
  const main = requireFn.resolve(id);
  if (requireFn.cache?.[main]) return requireFn(id);
  const loader = nodeModule.Module.prototype as unknown as Loader;
  const original = loader.require;
  const later = new Set(deferred);
  loader.require = function (this: NodeJS.Module, request: string): unknown {
    if (this.filename !== main || !later.has(request)) return original.call(this, request);
    return onFirstUse(() => original.call(this, request));
  };
  try {
    return requireFn(id);
  } finally {
    loader.require = original;
  }
}

/** A stand-in for a module's exports (a function, a class or an object of them) that calls `load` once, on first use. */
export function onFirstUse(load: () => unknown): unknown {
  let loaded: { exports: unknown } | undefined;
  const real = (): object => (loaded ??= { exports: load() }).exports as object;
  // A function target, so that the stand-in can be called or constructed as the exports it stands for may be.
  return new Proxy(function deferred() {}, {
    apply: (_target, self, args: unknown[]) => Reflect.apply(real() as (...a: unknown[]) => unknown, self, args),
    construct: (_target, args: unknown[]) => Reflect.construct(real() as new (...a: unknown[]) => object, args),
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
  });
}
