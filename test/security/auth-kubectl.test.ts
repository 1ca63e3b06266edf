/**
 * kubectl against the secure server with the kubeconfigs it writes: client certificates, tokens
 * (token file and `kubectl create token`), `auth whoami`, `auth can-i` (and `--list`),
 * impersonation with `--as`/`--as-group`, RBAC refusals and escalation checks, and live
 * ClusterRole aggregation. kubectl 1.33 runs everything; 1.27 runs a smoke subset (it speaks JSON
 * and the v1beta1 SelfSubjectReview; 1.33 speaks protobuf to the typed APIs).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSecureTestServer, type SecureTestServer } from '../../apiserver/index.js';
import { CertificateAuthority } from '../../apiserver/pki/index.js';
import { describeWithKubectl, KubectlRunner } from './kubectl.js';

const forbiddenPods =
  'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"';

interface Setup {
  env: SecureTestServer;
  dir: string;
  k: KubectlRunner;
  admin: string;
  bob: string;
  tokenConfig(token: string, caPem?: string): Promise<string>;
}

async function setup(version: string): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'kuberx-auth-kubectl-'));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, 'root-token,root,0,"system:masters"\n');
  const env = await startSecureTestServer({ tokenAuthFile: tokenFile });
  const bob = (await env.userKubeconfig('bob', ['dev'])).kubeconfigPath;
  let n = 0;
  return {
    env,
    dir,
    k: new KubectlRunner(version),
    admin: env.kubeconfigPath,
    bob,
    async tokenConfig(token, caPem = env.caPem) {
      const path = join(dir, `token-${++n}.kubeconfig`);
      const cfg = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: {
              server: env.url,
              'certificate-authority-data': Buffer.from(caPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'u', user: { token } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
        'current-context': 'x',
      };
      await writeFile(path, stringify(cfg), { mode: 0o600 });
      return path;
    },
  };
}

async function teardown(s: Setup | undefined): Promise<void> {
  if (!s) return;
  s.k.close();
  await s.env.stop();
  await rm(s.dir, { recursive: true, force: true });
}

/** Manifests go through `kubectl create -f -` (JSON): kubectl 1.32+ typed `create <kind>` sends protobuf. */
function serviceAccount(name: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: 'default' },
  });
}

function roleBinding(name: string, clusterRole: string, user: string): string {
  return stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
}

function role(name: string, resource: string): string {
  return stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: 'default' },
    rules: [{ apiGroups: [''], resources: [resource], verbs: ['get'] }],
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithKubectl('kubectl with client certificates and tokens', ['1.33'], (version) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(version);
  });
  afterAll(() => teardown(s));

  test('the written admin kubeconfig works out of the box', async () => {
    const r = await s.k.run(s.admin, ['get', 'namespaces', '-o', 'name']);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('namespace/kube-system')]);
  });

  test('a user without bindings is refused with upstream’s message', async () => {
    const r = await s.k.run(s.bob, ['get', 'pods', '-n', 'default']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(forbiddenPods);
  });

  test('auth whoami shows the certificate’s user and groups', async () => {
    const r = await s.k.run(s.admin, ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(r.stdout).status.userInfo).toEqual({
      username: 'kuberx-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  test('auth can-i answers yes and no through SelfSubjectAccessReview', async () => {
    expect((await s.k.run(s.admin, ['auth', 'can-i', 'delete', 'nodes'])).stdout.trim()).toBe(
      'yes',
    );
    const no = await s.k.run(s.bob, ['auth', 'can-i', 'list', 'pods', '-n', 'default']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    expect(
      (await s.k.run(s.bob, ['auth', 'can-i', 'create', 'selfsubjectaccessreviews'])).stdout.trim(),
    ).toBe('yes');
  });

  test('auth can-i --list shows the rules of a bound role', async () => {
    const bind = await s.k.run(
      s.admin,
      ['create', '-f', '-'],
      roleBinding('bob-view', 'view', 'bob'),
    );
    expect(bind.code).toBe(0);
    await until(async () => (await s.k.run(s.bob, ['get', 'pods', '-n', 'default'])).code === 0);
    const r = await s.k.run(s.bob, ['auth', 'can-i', '--list', '-n', 'default']);
    expect(r.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(r.stdout).toMatch(
      /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m,
    );
  });

  test('kubectl create token issues a ServiceAccount token that authenticates', async () => {
    expect((await s.k.run(s.admin, ['create', '-f', '-'], serviceAccount('robot'))).code).toBe(0);
    const t = await s.k.run(s.admin, ['create', 'token', 'robot', '-n', 'default']);
    expect(t.code).toBe(0);
    const cfg = await s.tokenConfig(t.stdout.trim());
    const who = await s.k.run(cfg, ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(who.stdout).status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    const denied = await s.k.run(cfg, ['get', 'secrets', '-n', 'default']);
    expect(denied.stderr).toContain(
      'User "system:serviceaccount:default:robot" cannot list resource "secrets"',
    );
  });

  test('the token dies with its ServiceAccount', async () => {
    await s.k.run(s.admin, ['create', '-f', '-'], serviceAccount('temp'));
    const t = await s.k.run(s.admin, ['create', 'token', 'temp', '-n', 'default']);
    const cfg = await s.tokenConfig(t.stdout.trim());
    expect((await s.k.run(cfg, ['auth', 'whoami'])).code).toBe(0);
    await s.k.run(s.admin, ['delete', 'serviceaccount', 'temp', '-n', 'default']);
    await until(async () => (await s.k.run(cfg, ['auth', 'whoami'])).code !== 0);
    expect((await s.k.run(cfg, ['auth', 'whoami'])).stderr).toContain('Unauthorized');
  });

  test('create token refuses durations under ten minutes', async () => {
    const r = await s.k.run(s.admin, [
      'create',
      'token',
      'robot',
      '-n',
      'default',
      '--duration=5m',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('may not specify a duration less than 10 minutes');
  });

  test('a static token from --token-auth-file works', async () => {
    const cfg = await s.tokenConfig('root-token');
    expect((await s.k.run(cfg, ['get', 'nodes'])).code).toBe(0);
  });

  test('an unknown token is Unauthorized', async () => {
    const r = await s.k.run(await s.tokenConfig('not-a-token'), ['get', 'pods']);
    expect(r.stderr).toContain('Unauthorized');
  });

  test('a kubeconfig trusting another CA fails certificate verification', async () => {
    const other = await CertificateAuthority.create();
    const r = await s.k.run(await s.tokenConfig('root-token', other.certPem), ['get', 'pods']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /certificate signed by unknown authority|failed to verify certificate/,
    );
  });

  test('--as and --as-group impersonate, subject to RBAC', async () => {
    const asBob = await s.k.run(s.admin, ['get', 'secrets', '-n', 'default', '--as', 'bob']);
    expect(asBob.stderr).toContain('User "bob" cannot list resource "secrets"');
    const asMaster = await s.k.run(s.admin, [
      'get',
      'secrets',
      '-n',
      'default',
      '--as',
      'bob',
      '--as-group',
      'system:masters',
    ]);
    expect(asMaster.code).toBe(0);
    const bobAsAlice = await s.k.run(s.bob, ['get', 'pods', '-n', 'default', '--as', 'alice']);
    expect(bobAsAlice.stderr).toContain(
      'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  test('creating a Role beyond one’s own permissions is refused', async () => {
    await s.k.run(s.admin, ['create', '-f', '-'], roleBinding('bob-admin', 'admin', 'bob'));
    await until(
      async () =>
        (
          await s.k.run(s.bob, ['auth', 'can-i', 'create', 'roles', '-n', 'default'])
        ).stdout.trim() === 'yes',
    );
    const ok = await s.k.run(s.bob, ['create', '-f', '-'], role('pod-reader', 'pods'));
    expect(ok.code).toBe(0);
    const r = await s.k.run(s.bob, ['create', '-f', '-'], role('node-reader', 'nodes'));
    expect(r.stderr).toContain(
      'roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "bob" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:',
    );
  });

  test('a ClusterRole labelled aggregate-to-view is folded into view', async () => {
    const manifest = stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'widgets-view',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    });
    expect((await s.k.run(s.admin, ['apply', '-f', '-'], manifest)).code).toBe(0);
    for (const role of ['view', 'edit', 'admin']) {
      await until(async () => {
        const r = await s.k.run(s.admin, ['get', 'clusterrole', role, '-o', 'json']);
        return JSON.stringify(JSON.parse(r.stdout).rules).includes('widgets');
      });
    }
  });
});

describeWithKubectl('kubectl smoke over TLS', ['1.27'], (version) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(version);
  });
  afterAll(() => teardown(s));

  test('admin kubeconfig, forbidden message, whoami, can-i and create token', async () => {
    expect((await s.k.run(s.admin, ['get', 'namespaces'])).code).toBe(0);
    expect((await s.k.run(s.bob, ['get', 'pods', '-n', 'default'])).stderr.trim()).toBe(
      forbiddenPods,
    );
    expect((await s.k.run(s.admin, ['auth', 'whoami'])).stdout).toContain('kuberx-admin');
    expect((await s.k.run(s.bob, ['auth', 'can-i', 'list', 'pods'])).stdout.trim()).toBe('no');
    await s.k.run(s.admin, ['create', '-f', '-'], serviceAccount('robot'));
    const t = await s.k.run(s.admin, ['create', 'token', 'robot', '-n', 'default']);
    const who = await s.k.run(await s.tokenConfig(t.stdout.trim()), ['auth', 'whoami']);
    expect(who.stdout).toContain('system:serviceaccount:default:robot');
  });
});
