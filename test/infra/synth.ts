/**
 * Synthesizes the app in-process into a temporary directory, as `cdk synth` would (same feature flags, cdk-nag
 * validating), with esbuild bundling skipped unless asked for: the templates are identical either way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/build-app';
import type { CafeEtlPipelineStack } from '../../infra/stacks/cafe-etl-pipeline-stack';
import type { CafeEtlStack } from '../../infra/stacks/cafe-etl-stack';

export interface Synthesized {
  stack: CafeEtlStack;
  template: Template;
  outdir: string;
  /** The CloudFormation logical id of a construct (or of its default child). */
  logicalId(construct: IConstruct): string;
}

export function synthesize(
  options: { bundle?: boolean; context?: Record<string, unknown>; extend?: (stack: CafeEtlStack) => void } = {},
): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-cdk-'));
  const context = { ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context };
  const { app, stack } = buildApp({ context, outdir });
  options.extend?.(stack);
  app.synth();
  return {
    stack,
    template: Template.fromStack(stack),
    outdir,
    logicalId: (construct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
  };
}

/** Context that asks for the delivery pipeline: a tools account, Staging and Production in two more, two regions. */
export const PIPELINE_CONTEXT = {
  pipelineConnectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/1b2c3d4e-aaaa-bbbb-cccc-1234567890ab',
  pipelineRepository: 'cafe-chain/cafe-etl',
  pipelineBranch: 'main',
  pipelineAccount: '111111111111',
  stagingAccount: '222222222222',
  stagingRegion: 'eu-west-1',
  stagingAlarmEmail: 'staging@example.com',
  productionAccount: '333333333333',
  productionRegion: 'eu-west-2',
  productionAlarmEmail: "data-team+prod's@example.com",
} as const;

export interface SynthesizedPipeline {
  pipeline: CafeEtlPipelineStack;
  template: Template;
  outdir: string;
  logicalId(construct: IConstruct): string;
}

/** The app with the pipeline's context, synthesised (cdk-nag validating every stack, the stages' included). */
export function synthesizePipeline(
  options: { context?: Record<string, unknown>; extend?: (pipeline: CafeEtlPipelineStack) => void } = {},
): SynthesizedPipeline {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-cdk-'));
  const { app, pipeline } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...PIPELINE_CONTEXT, ...options.context }, outdir });
  if (!pipeline) throw new Error('the pipeline context built no pipeline');
  options.extend?.(pipeline);
  app.synth();
  return {
    pipeline,
    template: Template.fromStack(pipeline),
    outdir,
    logicalId: (construct) => pipeline.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
  };
}
