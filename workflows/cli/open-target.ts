/** How a command gets its target; injected so commands run against fakes in tests. */
import type { GlobalOptions } from './options';
import type { Target } from '../targets/target';
import type { LocalTarget } from '../targets/local';

export type OpenTarget = (options: GlobalOptions) => Promise<Target>;
export type OpenLocalTarget = (options: GlobalOptions) => Promise<LocalTarget>;
