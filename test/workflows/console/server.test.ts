import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConsoleBackend } from '../../../workflows/console/backend';
import { startConsoleServer, type ConsoleServer } from '../../../workflows/console/server';

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A raw request: the path goes on the wire exactly as given (no URL normalisation), like a hostile client's. */
function request(server: ConsoleServer, method: string, rawPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(port), method, path: rawPath, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console server', () => {
  let root: string;
  let server: ConsoleServer;
  const redriven: string[] = [];
  let version = 'v1';

  const backend: ConsoleBackend = {
    listExecutions: async (filter) => [{ executionId: 'e1', bucket: 'b', key: 'raw/x.csv', status: filter.status ?? 'FAILED', startedAt: '2024-03-01T09:00:00Z', redriveCount: 0 }],
    getExecution: async () => undefined,
    redrive: async (id) => {
      if (id === 'done') throw Object.assign(new Error('execution done is SUCCEEDED'), { name: 'RedriveRefused' });
      if (id === 'broken') throw new Error('the warehouse is down');
      redriven.push(id);
      return { executionId: id, status: 'SUCCEEDED' };
    },
    listDlq: async () => ({ entries: [], foreign: [] }),
    redriveDlq: async () => {
      redriven.push('dlq');
      return { executions: [], foreign: [] };
    },
    dashboard: async () => ({ branches: [], dayRange: null, daily: [], hourly: [], products: [], paymentMix: [], basket: [] }),
    version: async () => version,
    close: async () => undefined,
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-server-'));
    const assets = path.join(root, 'assets');
    fs.mkdirSync(assets);
    fs.writeFileSync(path.join(assets, 'index.html'), '<meta name="cafe-etl-token" content="__CAFE_ETL_TOKEN__">');
    fs.writeFileSync(path.join(assets, 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'secret.json'), '{"secret": true}');
    fs.symlinkSync(path.join(root, 'secret.json'), path.join(assets, 'link.json'));
    server = await startConsoleServer({ backend, assetsDir: assets, port: 0, pollMs: 50 });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const origin = () => server.url.replace(/\/$/, '');
  const sameOrigin = () => ({ origin: origin(), 'sec-fetch-site': 'same-origin', 'x-cafe-etl-token': server.token });

  it('listens on 127.0.0.1 on a free port and serves the page with this process’s token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await request(server, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`content="${server.token}"`);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await request(server, 'GET', '/assets/app.js')).body).toBe('console.log(1)');
  });

  it('answers the JSON API and rejects an unknown status filter', async () => {
    const list = await request(server, 'GET', '/api/executions?status=SUCCEEDED');
    expect(JSON.parse(list.body)).toEqual([expect.objectContaining({ executionId: 'e1', status: 'SUCCEEDED' })]);
    expect((await request(server, 'GET', '/api/executions?status=LOST')).status).toBe(400);
    expect((await request(server, 'GET', '/api/executions/nope')).status).toBe(404);
    expect((await request(server, 'GET', '/api/dashboard?from=yesterday')).status).toBe(400);
  });

  it('redrives for a same-origin request carrying the token', async () => {
    const reply = await request(server, 'POST', '/api/executions/e1/redrive', sameOrigin());
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ executionId: 'e1', status: 'SUCCEEDED' });
    expect(redriven).toEqual(['e1']);
  });

  it('reports a refused redrive as a conflict', async () => {
    const reply = await request(server, 'POST', '/api/executions/done/redrive', sameOrigin());
    expect(reply.status).toBe(409);
    expect(JSON.parse(reply.body).error).toMatch(/SUCCEEDED/);
  });

  it('names why a redrive failed', async () => {
    const reply = await request(server, 'POST', '/api/executions/broken/redrive', sameOrigin());
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body).error).toBe('the warehouse is down');
  });

  it('redrives the DLQ for our page, and not for another origin', async () => {
    expect((await request(server, 'POST', '/api/dlq/redrive', { ...sameOrigin(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(server, 'POST', '/api/dlq/redrive', sameOrigin())).status).toBe(200);
    expect(redriven.at(-1)).toBe('dlq');
  });

  it.each([
    ['another origin', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['another origin even with the token', { origin: 'http://evil.example' }],
    ['a cross-site fetch without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['no Origin and no Sec-Fetch-Site', {}],
    ['our origin but no token', { origin: 'ORIGIN', 'sec-fetch-site': 'same-origin', 'x-cafe-etl-token': '' }],
    ['our origin but a wrong token', { origin: 'ORIGIN', 'x-cafe-etl-token': 'f'.repeat(48) }],
    ['our origin with a same-site (not same-origin) fetch', { origin: 'ORIGIN', 'sec-fetch-site': 'same-site' }],
  ])('rejects a redrive from %s', async (_name, headers: Record<string, string>) => {
    const withToken: Record<string, string> = { 'x-cafe-etl-token': server.token, ...headers };
    if (withToken.origin === 'ORIGIN') withToken.origin = origin();
    const before = redriven.length;
    const reply = await request(server, 'POST', '/api/executions/e1/redrive', withToken);
    expect(reply.status).toBe(403);
    expect(redriven).toHaveLength(before);
  });

  it('rejects requests for another Host (DNS rebinding)', async () => {
    const { port } = new URL(server.url);
    expect((await request(server, 'GET', '/api/executions', { host: `evil.example:${port}` })).status).toBe(403);
    expect((await request(server, 'GET', '/', { host: `localhost:${port}` })).status).toBe(200);
  });

  it.each([
    '/../secret.json',
    '/assets/../../secret.json',
    '/assets/..%2f..%2fsecret.json',
    '/assets/%2e%2e/%2e%2e/secret.json',
    '/assets/%2e%2e%2fsecret.json',
    '/assets//etc/passwd',
    '/assets/..\\..\\secret.json',
    '/assets/link.json',
    '/assets/app.js%00.html',
    '/etc/passwd',
    '//etc/passwd',
    '/index.html/../../secret.json',
  ])('never serves a file outside its assets: %s', async (rawPath) => {
    const reply = await request(server, 'GET', rawPath);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('secret');
    expect(reply.body).not.toContain('root:');
  });

  it('tells open pages when the backend’s version changes', async () => {
    const { port } = new URL(server.url);
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: Number(port), path: '/api/events', headers: { host: `127.0.0.1:${port}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          if (text.includes('event: changed')) {
            req.destroy();
            resolve(text);
          }
        });
        setTimeout(() => { version = 'v2'; }, 100);
      });
      req.on('error', reject);
    });
    expect(received).toContain('"version":"v2"');
  });
});
