import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as esbuild from 'esbuild';
import { REPO_ROOT, TASK_BUNDLING } from '../../infra/constructs/task-function';
import type { CafeEtlStack } from '../../infra/stacks/cafe-etl-stack';
import { synthesize, type Synthesized } from './synth';

describe('cdk-nag on synth', () => {
  it('fails the synth on an unacknowledged finding', () => {
    // A queue without TLS enforcement nor a DLQ: two AwsSolutions findings nobody acknowledged.
    expect(() => synthesize({ extend: (stack) => new sqs.Queue(stack, 'Careless') })).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('esbuild bundling (the one test that bundles for real)', () => {
  let synthesized: Synthesized;
  let assetDirOf: (task: TaskName) => string;
  beforeAll(() => {
    synthesized = synthesize({ bundle: true });
    const { stack, outdir } = synthesized;
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    assetDirOf = (task) => {
      const code = (stack.tasks[task].fn.node.defaultChild as CfnFunction).code as { s3Key: string };
      const hash = String(stack.resolve(code.s3Key)).replace(/\.zip$/, '');
      return path.join(outdir, assets.files[hash]!.source.path);
    };
  }, 180_000);

  it('bundles every task handler with its source map', () => {
    for (const task of Object.keys(synthesized.stack.tasks) as TaskName[]) {
      const dir = assetDirOf(task);
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('sourceMappingURL=index.js.map');
    }
  });

  it('bundles into each handler only what it uses: no PGlite nor pg anywhere (Lambda loads Redshift), no warehouse in Plan, Extract, Transform', async () => {
    const sizes: Record<string, string> = {};
    for (const task of Object.keys(synthesized.stack.tasks) as TaskName[]) {
      const built = await esbuild.build(esbuildOptionsOf(TASK_BUNDLING, synthesized.stack.tasks[task].entry));
      const js = built.outputFiles.find((f) => f.path.endsWith('index.js'))!;
      // The same bundle as CDK's asset, byte for byte: what the metafile says is what Lambda runs.
      expect(Buffer.from(js.contents).equals(fs.readFileSync(path.join(assetDirOf(task), 'index.js')))).toBe(true);
      const inputs = Object.keys(built.metafile.outputs[path.relative(REPO_ROOT, js.path)]!.inputs);
      const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
      expect({ task, localOnly: LOCAL_ONLY_PACKAGES.filter((p) => packages.has(p)) }).toEqual({ task, localOnly: [] });
      const warehouseCode = inputs.filter((input) => input.startsWith('tasks/warehouse/') || input.includes('node_modules/@aws-sdk/client-redshift-data/'));
      if (WAREHOUSE_TASKS.has(task)) {
        // The check above means something only if it sees the adapter that is there.
        expect(inputs).toContain('tasks/warehouse/redshift-data.ts');
        expect(packages).toContain('@aws-sdk/client-redshift-data');
      } else {
        expect({ task, warehouseCode }).toEqual({ task, warehouseCode: [] });
      }
      sizes[task] = `${(js.contents.length / 1024).toFixed(0)} KiB`;
    }
    console.log(`Lambda bundle sizes (minified index.js): ${JSON.stringify(sizes)}`);
  }, 120_000);
});

type TaskName = keyof CafeEtlStack['tasks'];

/** The drivers of the local warehouses (PGlite, PostgreSQL): a Lambda task, which talks to Redshift, has no use for them. */
const LOCAL_ONLY_PACKAGES = ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg', 'pg-pool', 'pg-protocol', 'pg-copy-streams'];
const WAREHOUSE_TASKS = new Set<TaskName>(['load', 'migrate']);

/**
 * TASK_BUNDLING as esbuild's build options, the way aws-lambda-nodejs puts them on its esbuild command line
 * (`--bundle ENTRY --target --platform=node --format --outfile=…/index.js --minify --sourcemap
 * --sources-content --external:…`, run in the project root). An option it does not know fails the test
 * rather than being left out.
 */
function esbuildOptionsOf(bundling: BundlingOptions, entry: string): esbuild.BuildOptions & { write: false; metafile: true } {
  const known = new Set(['format', 'target', 'minify', 'sourceMap', 'sourcesContent', 'externalModules']);
  const unknown = Object.keys(bundling).filter((option) => !known.has(option));
  if (unknown.length > 0) throw new Error(`esbuildOptionsOf does not know TASK_BUNDLING's ${unknown.join(', ')}: teach it`);
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    absWorkingDir: REPO_ROOT,
    outfile: path.join(REPO_ROOT, 'cdk.out', 'bundle-check', 'index.js'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(bundling.target ? { target: bundling.target } : {}),
    ...(bundling.format ? { format: bundling.format as esbuild.Format } : {}),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? ['@aws-sdk/*'],
  };
}
