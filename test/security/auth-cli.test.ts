/**
 * `kuberx apiserver` is TLS with certificates by default: first start creates the PKI and
 * `DIR/kubeconfig` (0600), which then works as-is; a restart reuses the CA; `--insecure-http` is
 * plain HTTP with a warning and refuses non-loopback addresses. Runs the built binary (`npm test`
 * builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { call } from './https.js';

const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function ready(r: Running): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /kuberx apiserver ready: (\S+)/.exec(r.out());
    if (m) return m[1]!;
    if (r.child.exitCode !== null) throw new Error(`exited early: ${r.out()} ${r.err()}`);
    if (Date.now() > deadline) throw new Error('not ready in time');
    await new Promise((res) => setTimeout(res, 20));
  }
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exited;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kuberx-cli-auth-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function adminCredentials(kubeconfig: string) {
  const kc = parse(await readFile(kubeconfig, 'utf8'));
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    server: kc.clusters[0].cluster.server as string,
    ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: b64(kc.users[0].user['client-certificate-data']),
    key: b64(kc.users[0].user['client-key-data']),
  };
}

test('first start serves HTTPS and writes a working 0600 admin kubeconfig; a restart reuses the CA', async () => {
  const first = run(['apiserver', '--data-dir', dir, '--port', '0']);
  let ca1: string;
  try {
    const url = await ready(first);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(first.out()).toContain(`export KUBECONFIG=${join(dir, 'kubeconfig')}`);
    expect((await stat(join(dir, 'kubeconfig'))).mode & 0o777).toBe(0o600);
    const creds = await adminCredentials(join(dir, 'kubeconfig'));
    expect(creds.server).toBe(url);
    const res = await call(url, creds, 'GET', '/api/v1/namespaces');
    expect(res.status).toBe(200);
    expect((await call(url, { ca: creds.ca }, 'GET', '/api/v1/namespaces')).status).toBe(401);
    ca1 = await readFile(join(dir, 'pki', 'ca.crt'), 'utf8');
  } finally {
    expect(await stop(first)).toBe(0);
  }
  const second = run(['apiserver', '--data-dir', dir, '--port', '0']);
  try {
    const url = await ready(second);
    expect(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8')).toBe(ca1);
    const creds = await adminCredentials(join(dir, 'kubeconfig'));
    expect((await call(url, creds, 'GET', '/api/v1/namespaces/default')).status).toBe(200);
  } finally {
    expect(await stop(second)).toBe(0);
  }
}, 60_000);

test('--insecure-http serves plain HTTP and says loudly that it is insecure', async () => {
  const r = run(['apiserver', '--memory', '--port', '0', '--insecure-http']);
  try {
    const url = await ready(r);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.err()).toContain('INSECURE');
    expect((await fetch(`${url}/api/v1/namespaces`)).status).toBe(200);
  } finally {
    expect(await stop(r)).toBe(0);
  }
}, 60_000);

test('--insecure-http refuses a non-loopback bind address', async () => {
  const r = run([
    'apiserver',
    '--memory',
    '--port',
    '0',
    '--insecure-http',
    '--bind-address',
    '0.0.0.0',
  ]);
  expect(await r.exited).not.toBe(0);
  expect(r.err()).toContain('--insecure-http serves only on a loopback address, not 0.0.0.0');
}, 60_000);
