/**
 * The `cdk` entry point (cdk.json): `npx cdk synth`, `npx cdk deploy CafeEtl --outputs-file cdk-outputs.json`, and,
 * with the pipeline's context values (infra/pipeline-context.ts), `npx cdk deploy CafeEtlPipeline -c …`.
 */
import { buildApp } from './build-app';

buildApp().app.synth();
