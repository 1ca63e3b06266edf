/**
 * The `kuberx controller-manager` binary (built by `npm ci` / `npm test`'s pretest) against
 * kuberx's API server: the ready line, `/healthz` and `/metrics`, leader election on the Lease
 * `kube-system/kube-controller-manager` with a handover between two processes, and a clean stop
 * on SIGINT.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isNotFound, Lease, ServiceAccount } from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

jest.setTimeout(60_000);

const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));

interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exit };
}

let env: TestEnv;
const children: Running[] = [];

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => {
  for (const r of children) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await env.stop();
});

function controllerManager(extra: string[] = []): Running {
  const r = run([
    'controller-manager',
    '--kubeconfig',
    env.kubeconfigPath,
    '--controllers',
    'serviceaccount,namespace',
    '--metrics-bind-address',
    '127.0.0.1:0',
    '--leader-elect',
    '--leader-elect-lease-duration',
    '3s',
    '--leader-elect-renew-deadline',
    '2s',
    '--leader-elect-retry-period',
    '200ms',
    ...extra,
  ]);
  children.push(r);
  return r;
}

async function ready(r: Running): Promise<string> {
  await eventually(
    () => /ready: .*metrics on (http:\S+)/.test(r.out()) || r.child.exitCode !== null,
    'ready line',
    30_000,
  );
  const m = /metrics on (http:\S+)/.exec(r.out());
  if (!m) throw new Error(`controller-manager did not start:\n${r.err()}`);
  return m[1]!;
}

async function defaultSA(ns: string): Promise<boolean> {
  try {
    await env.client.get(ServiceAccount, 'default', { namespace: ns });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function holder(): Promise<string | undefined> {
  try {
    const lease = await env.client.get(Lease, 'kube-controller-manager', {
      namespace: 'kube-system',
    });
    return lease.spec?.holderIdentity ?? undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

test('it runs the chosen controllers as leader, serves health and metrics, and hands over on SIGINT', async () => {
  const first = controllerManager();
  const url = await ready(first);
  expect(first.out()).toMatch(
    /^kuberx controller-manager ready: 2 controller\(s\): namespace,serviceaccount; metrics on http:\/\/127\.0\.0\.1:\d+$/m,
  );
  expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');

  await env.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cli-one' } });
  await eventually(() => defaultSA('cli-one'), 'default SA created by the first process');
  const firstHolder = await holder();
  expect(firstHolder).toBeTruthy();
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metrics).toContain('leader_election_master_status{name="kube-controller-manager"} 1');
  expect(metrics).toMatch(
    /controller_runtime_reconcile_total\{controller="serviceaccount",result="success"\} [1-9]/,
  );

  // A second process waits for the Lease…
  const second = controllerManager();
  const secondUrl = await ready(second);
  const standby = await (await fetch(`${secondUrl}/metrics`)).text();
  expect(standby).not.toContain('leader_election_master_status{name="kube-controller-manager"} 1');

  // …and takes over when the first stops (it releases the Lease on the way out).
  first.child.kill('SIGINT');
  expect(await first.exit).toEqual({ code: 0, signal: null });
  await eventually(
    async () => {
      const h = await holder();
      return !!h && h !== firstHolder;
    },
    'second process holds the Lease',
    15_000,
  );
  await env.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cli-two' } });
  await eventually(() => defaultSA('cli-two'), 'default SA created by the second process', 15_000);

  second.child.kill('SIGTERM');
  expect(await second.exit).toEqual({ code: 0, signal: null });
});

test('an unknown controller exits non-zero with upstream wording', async () => {
  const r = run([
    'controller-manager',
    '--kubeconfig',
    env.kubeconfigPath,
    '--controllers',
    'nope',
  ]);
  children.push(r);
  expect((await r.exit).code).toBe(1);
  expect(r.err()).toContain('"nope" is not in the list of known controllers');
});
