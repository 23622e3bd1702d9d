/** How a command gets its target; injected so commands run against fakes in tests. */
import type { GlobalOptions } from './options';
import type { Target } from '../targets/target';
import type { LocalTarget } from '../targets/local';

export type OpenTarget = (options: GlobalOptions) => Promise<Target>;
export type OpenLocalTarget = (options: GlobalOptions) => Promise<LocalTarget>;

/** Opens the target, hands it to `use`, and closes it whatever happens. */
export async function withTarget<R>(open: OpenTarget, options: GlobalOptions, use: (target: Target) => Promise<R>): Promise<R> {
  const target = await open(options);
  try {
    return await use(target);
  } finally {
    await target.close();
  }
}
