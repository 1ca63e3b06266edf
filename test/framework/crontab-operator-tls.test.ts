/**
 * The example operator as against a real cluster: kuberx's secure API server (HTTPS, client
 * certificates, RBAC) in this process; the operator runs as its own user with only the
 * permissions its ClusterRole grants, with leader election on, from a kubeconfig that carries the
 * cluster CA and the user's certificate and key.
 */
import { runModule } from '../../cli/commands/run.js';
import { startSecureTestServer, type SecureTestServer } from '../../apiserver/index.js';
import {
  ApiClient,
  Deployment,
  KubeConfigTransport,
  Lease,
  RestClient,
  isNotFound,
  loadKubeConfig,
  type KubernetesObject,
} from '../../framework/index.js';
import { eventually, installCRDs } from '../../framework/testing/index.js';

let server: SecureTestServer;
let admin: ApiClient;
let transport: KubeConfigTransport;
let stop: AbortController;
let running: Promise<void>;
let out = '';

const rbac = 'rbac.authorization.k8s.io/v1';

beforeAll(async () => {
  server = await startSecureTestServer();
  transport = new KubeConfigTransport(loadKubeConfig({ file: server.kubeconfigPath }));
  admin = new ApiClient(new RestClient(transport));
  await installCRDs(admin, ['crds/crontab.yaml']);
  await admin.create({
    apiVersion: rbac,
    kind: 'ClusterRole',
    metadata: { name: 'crontab-operator' },
    rules: [
      {
        apiGroups: ['stable.example.com'],
        resources: ['crontabs'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['stable.example.com'],
        resources: ['crontabs/status'],
        verbs: ['get', 'patch', 'update'],
      },
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
      },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'create', 'update'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ],
  } as KubernetesObject);
  await admin.create({
    apiVersion: rbac,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'crontab-operator' },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'crontab-operator',
    },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'crontab-operator' }],
  } as KubernetesObject);
  const user = await server.userKubeconfig('crontab-operator');
  stop = new AbortController();
  running = runModule({
    module: 'examples/crontab-operator',
    kubeconfig: user.kubeconfigPath,
    leaderElect: true,
    leaderElectionNamespace: 'default',
    metricsBindAddress: '127.0.0.1:0',
    signal: stop.signal,
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } },
  });
  await eventually(() => out.includes('kuberx run ready'), 'the operator to start');
});

afterAll(async () => {
  stop?.abort();
  await running;
  transport?.close();
  await server?.stop();
});

test('over TLS with a client certificate and RBAC, a CronTab gets its Deployment and status', async () => {
  const crontab = await admin.create({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'secure', namespace: 'default' },
    spec: { cronSpec: '*/10 * * * *', image: 'tls:1', replicas: 2 },
  } as KubernetesObject);
  let deployment: Deployment | undefined;
  await eventually(async () => {
    try {
      deployment = await admin.get(Deployment, 'secure', { namespace: 'default' });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }, 'the Deployment');
  expect(deployment!.spec?.replicas).toBe(2);
  expect(deployment!.metadata?.ownerReferences?.[0]).toMatchObject({
    kind: 'CronTab',
    uid: crontab.metadata!.uid,
    controller: true,
  });
  await admin.patch(
    Deployment,
    'secure',
    { status: { replicas: 2, readyReplicas: 1 } },
    {
      namespace: 'default',
      subresource: 'status',
    },
  );
  await eventually(async () => {
    const ct = (await admin.get(
      { group: 'stable.example.com', version: 'v1', kind: 'CronTab' },
      'secure',
      { namespace: 'default' },
    )) as { status?: { replicas?: number } };
    return ct.status?.replicas === 1;
  }, 'CronTab status.replicas = 1');
});

test('the operator holds the leader election Lease under its own identity', async () => {
  const lease = await admin.get(Lease, 'kuberx-run-crontab-operator', { namespace: 'default' });
  expect(lease.spec?.holderIdentity).toMatch(/_/);
  expect(lease.spec?.leaseDurationSeconds).toBe(15);
});
