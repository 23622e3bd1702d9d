/**
 * Whether an AWS SDK failure is worth retrying, by the SDK's own classifiers (the ones its retry strategy runs,
 * from @smithy/core/retry): throttling (429, the throttling error names, `$retryable.throttling`), transient
 * errors (timeouts, 500/502/503/504, clock skew corrected, socket errors, the same down an error's `cause`), any
 * other 5xx, and errors the service model marks retryable. Node network errors the SDK re-wrapped without their
 * `code` are caught by the message (node-network.ts). A service's own "busy, try later" exceptions that no
 * generic classifier knows are the caller's `alsoTransient` names (the Redshift Data API's, redshift-data.ts).
 */
import { isRetryableByTrait, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { isNodeNetworkError } from './node-network';

type SdkError = Parameters<typeof isTransientError>[0];

export function isTransientAwsError(error: unknown, alsoTransient: ReadonlySet<string> = NO_NAMES): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkError;
  return (
    isThrottlingError(e) || isTransientError(e) || isServerError(e) || isRetryableByTrait(e) ||
    isNodeNetworkError(error) ||
    (typeof e.name === 'string' && alsoTransient.has(e.name))
  );
}

const NO_NAMES: ReadonlySet<string> = new Set();
