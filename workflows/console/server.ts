/**
 * The console's HTTP server (node:http, bound to 127.0.0.1): a JSON API over the backend, server-sent events
 * when executions or the DLQ change, and the built page. Safety rules, all enforced here:
 * - only requests whose Host is this server (127.0.0.1 / localhost on our port) are answered, so a web page on
 *   another site cannot reach the API through DNS rebinding;
 * - a state-changing request (POST) needs an Origin of this server (or, without Origin, Sec-Fetch-Site:
 *   same-origin) and the per-process token the page carries in a meta tag (another site cannot read it);
 * - files are served from an allow-list made by listing the asset directory at start: no path from a URL is
 *   ever opened, so nothing outside the assets can be served;
 * - every query parameter and path segment is decoded with io-ts (request-params.ts): a bad one is a 400 naming
 *   it, answered before the backend is asked and never logged.
 */
import * as http from 'node:http';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isLeft, type Either } from 'fp-ts/Either';
import type { ConsoleBackend } from './backend';
import { apiRouteOf, dashboardFilterOf, executionIdOf, executionsFilterOf, type BadRequest } from './request-params';

export interface ConsoleServerOptions {
  backend: ConsoleBackend;
  /** The built page: index.html and the bundled assets, flat. */
  assetsDir: string;
  /** 0 picks a free port. */
  port: number;
  /** How often live updates look for changes. */
  pollMs?: number;
  log?(message: string): void;
}

export interface ConsoleServer {
  url: string;
  /** The per-process token a state-changing request must carry in `X-Cafe-Etl-Token`. */
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-cafe-etl-token';
const TOKEN_PLACEHOLDER = '__CAFE_ETL_TOKEN__';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const SECURITY_HEADERS = {
  // Plot writes inline <style> elements into its SVGs; scripts stay 'self' only.
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = randomBytes(24).toString('hex');
  const assets = await loadAssets(options.assetsDir, token);
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`console: ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the console log' });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) return sendJson(res, 403, { error: 'unexpected Host header' });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      return sendBadRequest(res, { parameter: '(request target)', message: 'bad request: the request target is not a URL path' });
    }
    // Still percent-encoded: each segment and parameter is decoded by its own codec.
    const route = url.pathname;

    const api = apiRouteOf(route);
    if (req.method === 'POST') {
      const refusal = refuseCrossOrigin(req, allowedHosts(), token);
      if (refusal) return sendJson(res, 403, { error: refusal });
      if (api?.route === 'redrive') return withValid(res, executionIdOf(api.segment), (id) => sendRedrive(res, () => options.backend.redrive(id)));
      if (api?.route === 'dlq-redrive') return sendRedrive(res, () => options.backend.redriveDlq());
      return sendJson(res, 404, { error: 'not found' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });

    switch (api?.route) {
      case 'executions':
        return withValid(res, executionsFilterOf(url.search), async (filter) => sendJson(res, 200, await options.backend.listExecutions(filter)));
      case 'execution':
        return withValid(res, executionIdOf(api.segment), async (id) => {
          const detail = await options.backend.getExecution(id);
          return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: 'no such execution' });
        });
      case 'dlq':
        return sendJson(res, 200, await options.backend.listDlq());
      case 'dashboard':
        return withValid(res, dashboardFilterOf(url.search), async (filter) => sendJson(res, 200, await options.backend.dashboard(filter)));
      case 'events':
        return openEventStream(res);
      default:
        if (route.startsWith('/api/')) return sendJson(res, 404, { error: 'not found' });
    }

    const asset = assets.get(route === '/' ? 'index.html' : route.startsWith('/assets/') ? route.slice('/assets/'.length) : '');
    if (!asset) return sendJson(res, 404, { error: 'not found' });
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type, 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  // One poller for every open page: it compares the backend's version and tells the pages when it moved.
  // A version that cannot be read yet (no home) just means the first change is reported.
  let lastVersion = await options.backend.version().catch(() => '');
  let polling = false;
  const poller = setInterval(() => {
    if (polling || streams.size === 0) return;
    polling = true;
    options.backend
      .version()
      .then((version) => {
        if (version === lastVersion) return;
        lastVersion = version;
        for (const stream of streams) stream.write(`event: changed\ndata: ${JSON.stringify({ version })}\n\n`);
      })
      .catch((error: unknown) => options.log?.(`console: watching for changes: ${String(error)}`))
      .finally(() => {
        polling = false;
      });
  }, options.pollMs ?? 1000);

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    async close() {
      clearInterval(poller);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Why a state-changing request must be refused, or undefined when it comes from our own page. */
export function refuseCrossOrigin(req: http.IncomingMessage, allowedHosts: readonly string[], token: string): string | undefined {
  const origin = req.headers.origin;
  const fetchSite = req.headers['sec-fetch-site'];
  if (origin !== undefined) {
    if (!allowedHosts.some((host) => origin === `http://${host}`)) return `cross-origin request from ${origin} refused`;
  } else if (fetchSite !== 'same-origin') {
    return 'request without Origin or Sec-Fetch-Site: same-origin refused';
  }
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return `Sec-Fetch-Site ${String(fetchSite)} refused`;
  const presented = req.headers[TOKEN_HEADER];
  if (typeof presented !== 'string' || !sameSecret(presented, token)) return 'missing or wrong console token';
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface Asset { type: string; body: Buffer }

/** Lists the asset directory once: the only files the server will ever send. */
async function loadAssets(dir: string, token: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const type = CONTENT_TYPES[path.extname(entry.name)];
    if (!entry.isFile() || type === undefined) continue;
    let body = await fs.readFile(path.join(dir, entry.name));
    if (entry.name === 'index.html') body = Buffer.from(body.toString('utf8').replace(TOKEN_PLACEHOLDER, token));
    assets.set(entry.name, { type, body });
  }
  if (!assets.has('index.html')) throw new Error(`console assets in ${dir} have no index.html; build them first`);
  return assets;
}

/** A redrive's outcome; a refused one (not FAILED, unknown) is a conflict, any other failure is named. */
async function sendRedrive(res: http.ServerResponse, redrive: () => Promise<unknown>): Promise<void> {
  try {
    sendJson(res, 200, await redrive());
  } catch (error) {
    const refused = error instanceof Error && error.name === 'RedriveRefused';
    sendJson(res, refused ? 409 : 500, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Runs `use` on a decoded parameter, or answers 400 naming the one that is bad. */
async function withValid<A>(res: http.ServerResponse, decoded: Either<BadRequest, A>, use: (value: A) => Promise<void>): Promise<void> {
  if (isLeft(decoded)) return sendBadRequest(res, decoded.left);
  return use(decoded.right);
}

function sendBadRequest(res: http.ServerResponse, bad: BadRequest): void {
  sendJson(res, 400, { error: bad.message, parameter: bad.parameter });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
