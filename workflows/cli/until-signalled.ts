/** Resolves on Ctrl-C or SIGTERM: how the long-running commands (console, warehouse serve) wait to be stopped. */
export const untilSignalled = (): Promise<void> =>
  new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
