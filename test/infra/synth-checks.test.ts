import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { synthesize } from './synth';

describe('cdk-nag on synth', () => {
  it('fails the synth on an unacknowledged finding', () => {
    // A queue without TLS enforcement nor a DLQ: two AwsSolutions findings nobody acknowledged.
    expect(() => synthesize({ extend: (stack) => new sqs.Queue(stack, 'Careless') })).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('esbuild bundling (the one test that bundles for real)', () => {
  it('bundles every task handler with its source map', () => {
    const { stack, outdir } = synthesize({ bundle: true });
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    for (const task of Object.values(stack.tasks)) {
      const code = (task.fn.node.defaultChild as CfnFunction).code as { s3Key: string };
      const hash = String(stack.resolve(code.s3Key)).replace(/\.zip$/, '');
      const dir = path.join(outdir, assets.files[hash]!.source.path);
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('sourceMappingURL=index.js.map');
    }
  });
});
