/**
 * Builds the CDK app: the CafeEtl stack, and the CafeEtlPipeline stack when the context names a source
 * (infra/pipeline-context.ts), with cdk-nag's AWS Solutions checks validating every synth. Shared by infra/app.ts
 * (the `cdk` entry) and the infra tests, which pass their own context.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { decodeImportMode, decodeQuickSightPrincipal, type QuickSightSettings } from './constructs/quicksight';
import { FEATURE_FLAGS } from './feature-flags';
import { decodePipelineContext, PIPELINE_CONTEXT_KEYS } from './pipeline-context';
import { CafeEtlPipelineStack } from './stacks/cafe-etl-pipeline-stack';
import { CafeEtlStack } from './stacks/cafe-etl-stack';

export const STACK_NAME = 'CafeEtl';
export const PIPELINE_STACK_NAME = 'CafeEtlPipeline';

/** The context values the CafeEtl stack reads (the pipeline's are in pipeline-context.ts). */
const STACK_CONTEXT_KEYS = ['alarmEmail', 'maxRejectedShare', 'chunkBytes', 'quicksightPrincipal', 'quicksightImportMode', 'loadWindowSeconds', 'loadBatchSize'];

export function buildApp(options: { context?: Record<string, unknown>; outdir?: string } = {}): {
  app: App;
  stack: CafeEtlStack;
  pipeline?: CafeEtlPipelineStack;
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
  // Decoded first: a malformed pipeline context fails the synth before anything is built.
  const settings = decodePipelineContext(context);
  const quicksightPrincipal = context('quicksightPrincipal');
  const quicksightImportMode = context('quicksightImportMode');
  if (quicksightPrincipal === undefined && quicksightImportMode !== undefined) {
    throw new Error('context quicksightImportMode is given without quicksightPrincipal: QuickSight is added only for a principal');
  }
  const quicksight: QuickSightSettings | undefined = quicksightPrincipal === undefined ? undefined : {
    principalArn: decodeQuickSightPrincipal(quicksightPrincipal),
    importMode: decodeImportMode(quicksightImportMode),
  };
  const shared = {
    maxRejectedShare: numberContext('maxRejectedShare'),
    chunkBytes: numberContext('chunkBytes'),
    loadWindowSeconds: numberContext('loadWindowSeconds', true),
    loadBatchSize: numberContext('loadBatchSize'),
    quicksight,
  };
  const stack = new CafeEtlStack(app, STACK_NAME, {
    description: 'Cafe ETL: branch CSV uploads to a PII-free star schema in Redshift Serverless',
    alarmEmail: context('alarmEmail'),
    ...shared,
  });
  const pipeline = settings && new CafeEtlPipelineStack(app, PIPELINE_STACK_NAME, {
    description: 'Cafe ETL delivery: tests, synthesises and deploys CafeEtl to Staging, then Production, on every push',
    env: settings.env,
    settings,
    synthContext: Object.fromEntries([...STACK_CONTEXT_KEYS, ...PIPELINE_CONTEXT_KEYS].flatMap((key) => {
      const value = context(key);
      return value === undefined ? [] : [[key, value]];
    })),
    stackProps: shared,
  });
  // cdk-nag 3: a policy-validation plugin (the Aspects form of cdk-nag 2 throws here).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, ...(pipeline ? { pipeline } : {}) };
}
