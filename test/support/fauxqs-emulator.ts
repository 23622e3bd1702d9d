/**
 * Starts fauxqs (an S3 + SQS emulator over HTTP) in a child process on a free port, and makes AWS SDK clients
 * pointed at it with dummy credentials. fauxqs is ESM-only (no `require` export), so it runs in its own Node
 * process rather than inside jest's CommonJS module system.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

const REPO_ROOT = path.resolve(__dirname, '../..');
const REGION = 'us-east-1';
const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const STARTER = `
const { startFauxqs } = await import('fauxqs');
const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
process.stdout.write(JSON.stringify({ port: server.port }) + '\\n');
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
`;

export interface Fauxqs {
  endpoint: string;
  s3(): S3Client;
  sqs(): SQSClient;
  stop(): Promise<void>;
}

export async function startFauxqs(): Promise<Fauxqs> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', STARTER], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await firstPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    s3: () =>
      new S3Client({
        endpoint,
        region: REGION,
        credentials: DUMMY_CREDENTIALS,
        forcePathStyle: true,
        // Emulators do not implement the SDK's default CRC32 trailing checksums.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    sqs: () => new SQSClient({ endpoint, region: REGION, credentials: DUMMY_CREDENTIALS }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function firstPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`fauxqs exited with ${code} before listening: ${err}`)));
    child.once('error', reject);
  });
}
