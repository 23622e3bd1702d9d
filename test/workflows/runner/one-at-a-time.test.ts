/** In-process CPU-bound tasks run one at a time, in the order they came, whatever each one's outcome. */
import { oneAtATime } from '../../../workflows/runner/one-at-a-time';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('oneAtATime', () => {
  it('starts a task only once the one before it has settled, in arrival order, passing results and errors through', async () => {
    const queued = oneAtATime();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string, fail = false) => queued(async () => {
      most = Math.max(most, ++running);
      log.push(`start ${name}`);
      await tick();
      await tick();
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: new Error('b failed') },
      { status: 'fulfilled', value: 'c' },
    ]);
  });

  it('runs a task that throws before its first await without holding up the next', async () => {
    const queued = oneAtATime();
    await expect(queued(() => { throw new Error('at once'); })).rejects.toThrow('at once');
    await expect(queued(async () => 'next')).resolves.toBe('next');
  });
});
