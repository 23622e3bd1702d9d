import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConsoleBackend, DashboardFilter } from '../../../workflows/console/backend';
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
  const asked: { execution: string[]; dashboard: DashboardFilter[] } = { execution: [], dashboard: [] };
  const logged: string[] = [];

  const backend: ConsoleBackend = {
    listExecutions: async (filter) => [{ executionId: 'e1', bucket: 'b', key: 'raw/x.csv', status: filter.status ?? 'FAILED', startedAt: '2024-03-01T09:00:00Z', redriveCount: 0 }],
    getExecution: async (id) => {
      asked.execution.push(id);
      return undefined;
    },
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
    dashboard: async (filter) => (asked.dashboard.push(filter), {
      branches: [], dayRange: null, daily: [], hourly: [], hourlyByWeek: [], products: [], productTrend: { product: null, days: [] },
      paymentMix: [], paymentByWeek: [], periodChange: null, basket: [],
    }),
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
    server = await startConsoleServer({ backend, assetsDir: assets, port: 0, pollMs: 50, log: (m) => logged.push(m) });
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

  describe('a bad request is a 400 naming its parameter, never a stack in the log', () => {
    it.each([
      ['malformed percent-encoding in an id', 'GET', '/api/executions/%E0%A4%A', 'executionId'],
      ['a percent sign that encodes nothing', 'GET', '/api/executions/50%', 'executionId'],
      ['an 8,000-character id', 'GET', `/api/executions/${'a'.repeat(8000)}`, 'executionId'],
      ['an id that names a path', 'GET', '/api/executions/..%2f..%2fsecret', 'executionId'],
      ['an id with an 81-character name', 'GET', `/api/executions/arn:aws:states:eu-west-2:1:execution:CafeEtl:${'n'.repeat(81)}`, 'executionId'],
      ['a bad id to re-drive', 'POST', '/api/executions/%zz/redrive', 'executionId'],
      ['an impossible date', 'GET', '/api/dashboard?from=2021-99-99', 'from'],
      ['a day February never has', 'GET', '/api/dashboard?to=2021-02-30', 'to'],
      ['year zero', 'GET', '/api/dashboard?from=0000-01-01', 'from'],
      ['a date given twice', 'GET', '/api/dashboard?from=2021-01-01&from=2021-02-01', 'from'],
      ['malformed percent-encoding in a branch', 'GET', '/api/dashboard?branch=Leeds&branch=%E0%A4%A', 'branch'],
      ['a branch longer than the warehouse column', 'GET', `/api/dashboard?branch=${'b'.repeat(257)}`, 'branch'],
      ['a control character in a branch', 'GET', '/api/dashboard?branch=Le%00eds', 'branch'],
      ['a product without its size', 'GET', '/api/dashboard?product=Latte', 'size'],
      ['a flavour without its product', 'GET', '/api/dashboard?flavour=Vanilla', 'product'],
      ['a range that ends before it starts', 'GET', '/api/dashboard?from=2021-08-02&to=2021-08-01', 'from'],
      ['a product name longer than the warehouse column', 'GET', `/api/dashboard?product=${'p'.repeat(257)}&size=Large`, 'product'],
      ['malformed percent-encoding in a status', 'GET', '/api/executions?status=%FAILED', 'status'],
      ['an unknown status', 'GET', '/api/executions?status=LOST', 'status'],
    ])('%s', async (_what, method, rawPath, parameter) => {
      const before = { execution: asked.execution.length, dashboard: asked.dashboard.length, redriven: redriven.length, logged: logged.length };
      const reply = await request(server, method, rawPath, method === 'POST' ? sameOrigin() : {});
      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(reply.body) as { error: string; parameter: string };
      expect(body.parameter).toBe(parameter);
      expect(body.error).toContain(parameter);
      expect(body.error.length).toBeLessThan(300);
      // Refused before the backend is asked anything, and nothing logged.
      expect({ execution: asked.execution.length, dashboard: asked.dashboard.length, redriven: redriven.length, logged: logged.length }).toEqual(before);
    });

    it('a request target no URL parser takes', async () => {
      const reply = await request(server, 'GET', '//[');
      expect(reply.status).toBe(400);
      expect(logged.join('\n')).not.toMatch(/\n\s+at /);
    });

    it('decodes good parameters: `+` and %20 as spaces, any script, repeated branches, empty means none', async () => {
      const reply = await request(server, 'GET', '/api/dashboard?from=2021-08-01&to=&branch=Isle+of+Wight&branch=Caf%C3%A9%20Royale&branch=&utm=x');
      expect(reply.status).toBe(200);
      expect(asked.dashboard.at(-1)).toEqual({ from: '2021-08-01', branches: ['Isle of Wight', 'Café Royale'] });
      expect((await request(server, 'GET', '/api/dashboard?product=Flavoured+latte&size=Large&flavour=Vanilla')).status).toBe(200);
      expect(asked.dashboard.at(-1)).toEqual({ branches: [], product: { product: 'Flavoured latte', size: 'Large', flavour: 'Vanilla' } });
      expect((await request(server, 'GET', '/api/dashboard?product=Latte&size=Regular')).status).toBe(200);
      expect(asked.dashboard.at(-1)).toEqual({ branches: [], product: { product: 'Latte', size: 'Regular', flavour: null } });
      // Routes are decoded by segment: an extra or empty segment names no route.
      for (const route of ['/api/executions/e1/redrive/x', '/api/executions//', '/api/dashboard/x', '/api/dlq/redrive']) {
        expect([route, (await request(server, 'GET', route)).status]).toEqual([route, 404]);
      }
      expect((await request(server, 'GET', '/api/executions/arn%3Aaws%3Astates%3Aeu-west-2%3A1%3Aexecution%3ACafeEtl%3Aleeds-1')).status).toBe(404);
      expect(asked.execution.at(-1)).toBe('arn:aws:states:eu-west-2:1:execution:CafeEtl:leeds-1');
    });
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
