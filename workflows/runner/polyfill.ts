/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node >= 22). Lambda runs Node 22, but package.json's
 * engines honestly says Node >= 20.19: this project's own machines and CI run Node 20. So the runner adds it when
 * missing; drop this module when engines can say 22. Import it before the library is used.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseWithResolvers = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };

if (typeof PromiseWithResolvers.withResolvers !== 'function') {
  PromiseWithResolvers.withResolvers = <T>(): Resolvers<T> => {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
