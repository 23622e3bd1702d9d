/**
 * In-process CPU-bound tasks one at a time. In AWS each of a Map's iterations is its own Lambda with its own memory;
 * in one thread, the 20 iterations the ASL's MaxConcurrency lets start would all hold a chunk's text, rows and staged
 * CSV at once between their awaits (a 100 MB file peaked at 812 MB this way). Queued, they hold one chunk at a time,
 * as a task pool of one worker would; the history and the outcome are the same, since a task's time in the queue is
 * counted in its state as the pool's is.
 */
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work);
    // The next task waits for this one to settle, whichever way it ends.
    tail = run.then(() => undefined, () => undefined);
    return run;
  };
}
