/**
 * Raw HTTPS requests for the security suites: client certificate and/or bearer token, the CA to
 * trust, JSON in and out. Resolves with status and parsed body; rejects only on TLS or network
 * failure (e.g. a server certificate the given CA did not sign).
 */
import { request } from 'node:https';

export interface Credentials {
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
}

export interface Reply {
  status: number;
  body: any;
  text: string;
}

export function call(
  url: string,
  creds: Credentials,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string | string[]> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = request(
      u,
      {
        method,
        ca: creds.ca,
        cert: creds.cert,
        key: creds.key,
        agent: false,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (health checks)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body !== undefined ? JSON.stringify(body) : undefined);
  });
}

/** Polls `check` (real time, for a real server) until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
