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
