/**
 * .github/workflows/ci.yml, parsed as YAML (a syntax error fails here, not on GitHub) and held to what it is for:
 * `.ci/run` on every push and pull request, with Debian's PostgreSQL 15 and chromium installed and npm cached.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

const FILE = path.resolve(__dirname, '../../.github/workflows/ci.yml');

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown> }
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; container?: { image: string }; steps: Step[] }>;
}

function load(): Workflow {
  const document = parseDocument(fs.readFileSync(FILE, 'utf8'), { strict: true, uniqueKeys: true });
  expect(document.errors.map((e) => e.message)).toEqual([]);
  expect(document.warnings.map((w) => w.message)).toEqual([]);
  return document.toJS() as Workflow;
}

describe('.github/workflows/ci.yml', () => {
  const workflow = load();
  const [jobName, ...otherJobs] = Object.keys(workflow.jobs);
  const job = workflow.jobs[jobName!]!;
  const indexOf = (match: (step: Step) => boolean) => job.steps.findIndex(match);

  it('runs on every push and pull request, reading the repository only', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toBeNull();
    expect(workflow.on.pull_request).toBeNull();
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(otherJobs).toEqual([]);
  });

  it("runs .ci/run, the project's own CI script, as its last step", () => {
    expect(job.steps.at(-1)!.run).toBe('bash .ci/run');
    expect(job.steps.filter((s) => s.run?.includes('.ci/run'))).toHaveLength(1);
  });

  it("installs PostgreSQL 15 and chromium with apt from the container's Debian packages, before .ci/run", () => {
    expect(job.container?.image).toMatch(/^node:\d+-bookworm$/);
    const install = indexOf((s) => /apt-get install/.test(s.run ?? ''));
    expect(install).toBeGreaterThanOrEqual(0);
    const command = job.steps[install]!.run!;
    expect(command).toMatch(/apt-get update/);
    expect(command.split(/\s+/)).toEqual(expect.arrayContaining(['postgresql-15', 'chromium']));
    expect(install).toBeLessThan(indexOf((s) => s.run === 'bash .ci/run'));
  });

  it('checks the code out and caches npm through actions/setup-node, on the Node.js the project needs', () => {
    const checkout = indexOf((s) => s.uses?.startsWith('actions/checkout@') ?? false);
    const setupNode = indexOf((s) => s.uses?.startsWith('actions/setup-node@') ?? false);
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect(setupNode).toBeGreaterThan(checkout);
    const node = job.steps[setupNode]!.with!;
    expect(node.cache).toBe('npm');
    const engines = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(Number(node['node-version'])).toBeGreaterThanOrEqual(Number(/\d+/.exec(engines)![0]));
    expect(setupNode).toBeLessThan(indexOf((s) => s.run === 'bash .ci/run'));
  });
});
