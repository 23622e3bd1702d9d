/**
 * scripts/smoke-test.sh, run by bash from a copy of the repository whose bin/cafe-etl.cjs generates files with the
 * real CLI but records `run` and `query` instead of calling AWS: the outputs file it writes, the role it assumes, the
 * upload, the query, and that it fails when the execution or the count does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli-process';

const OUTPUTS = {
  BUCKET_NAME: 'staging-cafeetl-databucket-1a2b3c',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:222222222222:stateMachine:Staging-CafeEtl-pipeline',
  FAILURE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/222222222222/failures',
  STACK_REGION: 'eu-west-1',
  WORKGROUP_NAME: 'staging-cafeetl-workgroup',
  DATABASE_NAME: 'cafe',
  WAREHOUSE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:admin-AbCdEf',
  COPY_ROLE_ARN: 'arn:aws:iam::222222222222:role/copy',
  SMOKE_TEST_ROLE_ARN: 'arn:aws:iam::222222222222:role/Staging-CafeEtl-smoke-test',
};

/** Plays bin/cafe-etl.cjs: `generate` is the real one; `run` and `query` record what they were given. */
const FAKE_CLI = `
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const args = process.argv.slice(2);
const command = args.find((a) => ['generate', 'run', 'query'].includes(a));
if (command === 'generate') {
  execFileSync(process.execPath, [${JSON.stringify(CLI)}, ...args], { stdio: 'inherit' });
  process.exit(0);
}
const at = (flag) => args[args.indexOf(flag) + 1];
const record = {
  command, args,
  outputs: JSON.parse(fs.readFileSync(at('--aws-outputs'), 'utf8')),
  profile: process.env.AWS_PROFILE,
  config: process.env.AWS_CONFIG_FILE ? fs.readFileSync(process.env.AWS_CONFIG_FILE, 'utf8') : undefined,
};
if (command === 'run') record.uploaded = fs.readFileSync(args.at(-1), 'utf8');
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(record) + '\\n');
if (command === 'run') process.exit(Number(process.env.FAKE_RUN_STATUS ?? 0));
process.stdout.write(process.env.FAKE_QUERY_RESULT + '\\n');
`;

interface Call { command: string; args: string[]; outputs: unknown; profile?: string; config?: string; uploaded?: string }

function smokeTest(env: Record<string, string>): { status: number | null; stdout: string; stderr: string; calls: Call[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-smoke-'));
  try {
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync(path.join(REPO, 'scripts/smoke-test.sh'), path.join(root, 'scripts/smoke-test.sh'));
    fs.writeFileSync(path.join(root, 'bin/cafe-etl.cjs'), FAKE_CLI);
    const log = path.join(root, 'calls.jsonl');
    const result = spawnSync('bash', [path.join(root, 'scripts/smoke-test.sh')], {
      cwd: os.tmpdir(), encoding: 'utf8', env: { PATH: process.env.PATH!, FAKE_LOG: log, ...env },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const COUNT_25 = JSON.stringify([{ transactions: 25 }]);

describe('scripts/smoke-test.sh', () => {
  it("uploads one generated file with --target aws run as the stage's smoke-test role, then counts its rows", () => {
    const { status, stdout, calls } = smokeTest({ ...OUTPUTS, FAKE_QUERY_RESULT: COUNT_25 });
    expect(status).toBe(0);
    expect(stdout).toContain('smoke-test: passed');
    expect(calls.map((c) => c.command)).toEqual(['run', 'query']);
    const [run, query] = calls as [Call, Call];
    for (const call of calls) {
      expect(call.args.slice(0, 2)).toEqual(['--target', 'aws']);
      expect(call.outputs).toEqual({
        CafeEtl: {
          BucketName: OUTPUTS.BUCKET_NAME, StateMachineArn: OUTPUTS.STATE_MACHINE_ARN, FailureQueueUrl: OUTPUTS.FAILURE_QUEUE_URL,
          Region: 'eu-west-1', WorkgroupName: OUTPUTS.WORKGROUP_NAME, DatabaseName: 'cafe',
          WarehouseSecretArn: OUTPUTS.WAREHOUSE_SECRET_ARN, CopyRoleArn: OUTPUTS.COPY_ROLE_ARN,
        },
      });
      expect(call.profile).toBe('smoke-test');
      expect(call.config).toContain(`role_arn = ${OUTPUTS.SMOKE_TEST_ROLE_ARN}\ncredential_source = EcsContainer`);
    }
    expect(run.args.slice(-3, -1)).toEqual(['--key', 'raw/smoke-test/smoke-test.csv']);
    const lines = run.uploaded!.trimEnd().split('\n');
    expect(lines).toHaveLength(25);
    expect(lines.every((l) => l.split(',')[1] === 'Smoke test')).toBe(true);
    expect(query.args.slice(-3, -1)).toEqual(['query', '--json']);
    expect(query.args.at(-1)).toBe(
      'SELECT COUNT(*) AS transactions FROM cafe.transactions t JOIN cafe.loaded_files f ON f.file_id = t.file_id ' +
      `WHERE f.source_bucket = '${OUTPUTS.BUCKET_NAME}' AND f.source_key = 'raw/smoke-test/smoke-test.csv'`,
    );
  });

  it('fails when the execution did not succeed, without querying', () => {
    const { status, calls } = smokeTest({ ...OUTPUTS, FAKE_RUN_STATUS: '1', FAKE_QUERY_RESULT: COUNT_25 });
    expect(status).toBe(1);
    expect(calls.map((c) => c.command)).toEqual(['run']);
  });

  it('fails when the warehouse holds another count of the file', () => {
    const { status, stderr } = smokeTest({ ...OUTPUTS, FAKE_QUERY_RESULT: JSON.stringify([{ transactions: '24' }]) });
    expect(status).toBe(1);
    expect(stderr).toContain('the warehouse holds 24 transactions of s3://staging-cafeetl-databucket-1a2b3c/raw/smoke-test/smoke-test.csv, not 25');
  });

  it("uses the environment's own credentials without SMOKE_TEST_ROLE_ARN, and refuses to start without an output", () => {
    const { SMOKE_TEST_ROLE_ARN: _role, ...withoutRole } = OUTPUTS;
    const byHand = smokeTest({ ...withoutRole, FAKE_QUERY_RESULT: COUNT_25 });
    expect(byHand.status).toBe(0);
    expect(byHand.calls.map((c) => [c.profile, c.config])).toEqual([[undefined, undefined], [undefined, undefined]]);

    const { WORKGROUP_NAME: _workgroup, ...withoutWorkgroup } = OUTPUTS;
    const missing = smokeTest(withoutWorkgroup);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('WORKGROUP_NAME is not set');
    expect(missing.calls).toEqual([]);
  });
});
