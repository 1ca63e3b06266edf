/**
 * The manager's HTTP endpoints: `/metrics` (Prometheus text), `/healthz` and `/readyz`
 * (controller-runtime `healthz`: 200 `ok` when every check passes; 500 listing each check as
 * `[+]name ok` / `[-]name failed: reason` otherwise; `?verbose` lists them on success too).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A check passes when it resolves, fails when it throws. */
export type Check = () => void | Promise<void>;

export interface ProbeServerOptions {
  /** `host:port`; `:port` means every interface. */
  address: string;
  metrics?: () => Promise<{ contentType: string; body: string }>;
  healthz?: Map<string, Check>;
  readyz?: Map<string, Check>;
}

export interface ProbeServer {
  /** `http://host:port` actually bound (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

export function parseBindAddress(address: string): { host: string; port: number } | undefined {
  if (address === '0' || address === '') return undefined;
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new Error(`bind address "${address}" must be host:port, :port, or 0`);
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`bind address "${address}" has an invalid port`);
  }
  return { host, port };
}

export async function startProbeServer(
  options: ProbeServerOptions,
): Promise<ProbeServer | undefined> {
  const bind = parseBindAddress(options.address);
  if (!bind) return undefined;
  const server = http.createServer((req, res) => void handle(options, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  options: ProbeServerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/metrics' && options.metrics) {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'Content-Type': contentType });
      res.end(body);
      return;
    }
    const checks =
      url.pathname === '/healthz'
        ? options.healthz
        : url.pathname === '/readyz'
          ? options.readyz
          : undefined;
    if (!checks) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    const lines: string[] = [];
    let failed = false;
    for (const [name, check] of checks) {
      try {
        await check();
        lines.push(`[+]${name} ok`);
      } catch (err) {
        failed = true;
        lines.push(`[-]${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const what = url.pathname.slice(1);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (failed) {
      res.writeHead(500);
      res.end(`${lines.join('\n')}\n${what} check failed\n`);
    } else if (url.searchParams.has('verbose')) {
      res.writeHead(200);
      res.end(`${lines.join('\n')}\n${what} check passed\n`);
    } else {
      res.writeHead(200);
      res.end('ok');
    }
  } catch (err) {
    res.writeHead(500);
    res.end(String(err));
  }
}
