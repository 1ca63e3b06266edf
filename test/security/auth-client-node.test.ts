/**
 * @kubernetes/client-node against the secure server, as an operator would use it: the written
 * kubeconfigs (admin, controller-manager, scheduler, a simulated node), TokenRequest and the
 * resulting ServiceAccount tokens (plain and pod-bound), the review APIs, and a restart on the same
 * data dir that keeps every credential valid.
 */
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../common/index.js';
import {
  createSecureApiServer,
  startSecureTestServer,
  type SecureTestServer,
} from '../../apiserver/index.js';
import { nodeIdentity } from '../../apiserver/pki/index.js';
import { openEmbeddedStorage } from '../../store/index.js';

async function failure(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; body: unknown };
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { code: e.code, message: (body as { message?: string })?.message ?? '' };
  }
  throw new Error('expected the call to fail');
}

function fromFile(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function withToken(env: SecureTestServer, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: env.url, caData: Buffer.from(env.caPem).toString('base64') }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** `resource` is `[group/]resource[/subresource]` with `''` for the core group: `/pods/status`. */
async function can(kc: KubeConfig, verb: string, resource: string, namespace = 'default') {
  const [group, res, subresource] = resource.includes('/') ? resource.split('/') : ['', resource];
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb, group, resource: res, namespace, subresource } } },
  });
  return review.status?.allowed === true;
}

describe('client-node with the cluster’s credentials', () => {
  let env: SecureTestServer;
  let core: CoreV1Api;

  beforeAll(async () => {
    env = await startSecureTestServer();
    core = fromFile(env.kubeconfigPath).makeApiClient(CoreV1Api);
  });
  afterAll(() => env?.stop());

  test('the admin kubeconfig lists namespaces over TLS with its client certificate', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  test('a user kubeconfig is refused with 403 and upstream’s message', async () => {
    const bob = fromFile((await env.userKubeconfig('bob')).kubeconfigPath).makeApiClient(CoreV1Api);
    expect(await failure(bob.listNamespacedPod({ namespace: 'default' }))).toEqual({
      code: 403,
      message:
        'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    });
  });

  test('TokenRequest issues a token that authenticates as the ServiceAccount', async () => {
    await core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'robot' } },
    });
    const tr = await core.createNamespacedServiceAccountToken({
      name: 'robot',
      namespace: 'default',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    expect(Date.parse(String(tr.status?.expirationTimestamp)) - Date.now()).toBeGreaterThan(
      590_000,
    );
    const kc = withToken(env, tr.status!.token!);
    const who = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(who.status?.userInfo?.username).toBe('system:serviceaccount:default:robot');
    expect(await can(kc, 'list', 'pods')).toBe(false);
  });

  test('a pod-bound token stops working once its pod is gone', async () => {
    await core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'web' } },
    });
    const pod = await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { serviceAccountName: 'web', containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const tr = await core.createNamespacedServiceAccountToken({
      name: 'web',
      namespace: 'default',
      body: {
        spec: {
          audiences: [],
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: pod.metadata!.uid },
        },
      },
    });
    const auth = withToken(env, tr.status!.token!).makeApiClient(AuthenticationV1Api);
    const who = await auth.createSelfSubjectReview({ body: {} });
    expect(who.status?.userInfo?.extra?.['authentication.kubernetes.io/pod-name']).toEqual(['web']);
    await core.deleteNamespacedPod({ name: 'web', namespace: 'default', gracePeriodSeconds: 0 });
    const deadline = Date.now() + 10_000;
    let code = 0;
    while (Date.now() < deadline && code !== 401) {
      code = await auth.createSelfSubjectReview({ body: {} }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
    }
    expect(code).toBe(401);
  });

  test('a token cannot be bound to a pod of another ServiceAccount', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'other' },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const err = await failure(
      core.createNamespacedServiceAccountToken({
        name: 'robot',
        namespace: 'default',
        body: {
          spec: { audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } },
        },
      }),
    );
    expect(err).toEqual({
      code: 400,
      message:
        'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.',
    });
  });

  test('a token for a missing ServiceAccount is 404', async () => {
    const err = await failure(
      core.createNamespacedServiceAccountToken({
        name: 'nobody',
        namespace: 'default',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(err).toEqual({ code: 404, message: 'serviceaccounts "nobody" not found' });
  });

  test.each([
    ['list', 'pods', true],
    ['update', 'apps/deployments/status', true],
    ['create', 'coordination.k8s.io/leases', true],
    ['delete', 'batch/jobs', true],
    ['create', 'rbac.authorization.k8s.io/clusterrolebindings', false],
    ['create', 'apps/deployments', false],
  ])(
    'the controller-manager (kuberx:controller-manager) may %s %s: %s',
    async (verb, resource, want) => {
      const kc = fromFile(join(env.dataDir, 'controller-manager.kubeconfig'));
      expect(await can(kc, verb, resource, 'kube-system')).toBe(want);
    },
  );

  test.each([
    ['create', '/pods/binding', true],
    ['list', 'nodes', true],
    ['delete', 'apps/deployments', false],
  ])('the scheduler may %s %s: %s', async (verb, resource, want) => {
    const kc = fromFile(join(env.dataDir, 'scheduler.kubeconfig'));
    expect(await can(kc, verb, resource, 'default')).toBe(want);
  });

  test('a simulated node (system:node:n1, O=system:nodes) gets system:node', async () => {
    const creds = await env.secure.issueClientCredentials(
      nodeIdentity('n1'),
      join(env.dataDir, 'n1.kubeconfig'),
    );
    const kc = fromFile(creds.kubeconfigPath!);
    expect(await can(kc, 'update', '/pods/status')).toBe(true);
    expect(await can(kc, 'create', 'coordination.k8s.io/leases', 'kube-node-lease')).toBe(true);
    expect(await can(kc, 'delete', 'namespaces', '')).toBe(false);
  });
});

describe('a restart on the same data dir', () => {
  test('keeps the CA and every credential, and rewrites the kubeconfig for the new port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kuberx-restart-'));
    const storage = await openEmbeddedStorage({ memory: true });
    const logger = createLogger({ component: 'apiserver', level: 'silent' });
    const opts = { storage, dataDir, port: 0, compactionIntervalMs: 0, logger };
    try {
      const first = await createSecureApiServer(opts);
      const one = await first.start();
      const ca1 = await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8');
      const admin1 = fromFile(one.kubeconfig!);
      await first.stop();

      const second = await createSecureApiServer(opts);
      const two = await second.start();
      try {
        expect(await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8')).toBe(ca1);
        expect(admin1.getCurrentUser()!.certData).toBe(
          fromFile(two.kubeconfig!).getCurrentUser()!.certData,
        );
        expect(fromFile(two.kubeconfig!).getCurrentCluster()!.server).toBe(two.url);
        const list = await fromFile(two.kubeconfig!).makeApiClient(CoreV1Api).listNamespace();
        expect(list.items.length).toBeGreaterThan(0);
      } finally {
        await second.stop();
      }
    } finally {
      await storage.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
