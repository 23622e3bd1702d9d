/**
 * Builds the CDK app: the CafeEtl stack with cdk-nag's AWS Solutions checks validating every synth. Shared by
 * infra/app.ts (the `cdk` entry) and the infra tests, which pass their own context.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FEATURE_FLAGS } from './feature-flags';
import { CafeEtlStack } from './stacks/cafe-etl-stack';

export const STACK_NAME = 'CafeEtl';

export function buildApp(options: { context?: Record<string, unknown>; outdir?: string } = {}): {
  app: App;
  stack: CafeEtlStack;
} {
  const app = new App({ context: options.context, postCliContext: FEATURE_FLAGS, outdir: options.outdir });
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const numberContext = (key: string, zeroAllowed = false): number | undefined => {
    const raw = context(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) throw new Error(`context ${key} must be a positive number, got '${raw}'`);
    return value;
  };
  const stack = new CafeEtlStack(app, STACK_NAME, {
    description: 'Cafe ETL: branch CSV uploads to a PII-free star schema in Redshift Serverless',
    alarmEmail: context('alarmEmail'),
    maxRejectedShare: numberContext('maxRejectedShare'),
    chunkBytes: numberContext('chunkBytes'),
    loadWindowSeconds: numberContext('loadWindowSeconds', true),
    loadBatchSize: numberContext('loadBatchSize'),
  });
  // cdk-nag 3: a policy-validation plugin (the Aspects form of cdk-nag 2 throws here).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
