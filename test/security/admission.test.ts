/**
 * Admission through the real server and its HTTP API: each plugin of the default chain, with
 * upstream's status codes and messages.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startHardenedServer, type HardenedServer } from './admission-harness.js';

let s: HardenedServer;
const ns = (name: string) => `/api/v1/namespaces/${name}`;
const podBody = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

async function namespace(name: string) {
  expect(
    (await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name } } })).status,
  ).toBe(201);
  const sa = await s.request('POST', `${ns(name)}/serviceaccounts`, {
    body: { metadata: { name: 'default' } },
  });
  expect(sa.status).toBe(201);
}

beforeAll(async () => {
  s = await startHardenedServer();
});
afterAll(async () => {
  await s.stop();
});

describe('the default admission chain over HTTP', () => {
  test('a pod in a namespace without a default service account is refused', async () => {
    await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'no-sa' } } });
    const res = await s.request('POST', `${ns('no-sa')}/pods`, { body: podBody('web') });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message:
        'pods "web" is forbidden: error looking up service account no-sa/default: serviceaccount "default" not found',
      details: { name: 'web', kind: 'pods' },
    });
  });

  test('a pod gets its service account, token volume, tolerations and priority', async () => {
    await namespace('apps');
    const res = await s.request('POST', `${ns('apps')}/pods`, { body: podBody('web') });
    expect(res.status).toBe(201);
    const spec = res.body.spec;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(spec.volumes[0].projected.sources[0].serviceAccountToken).toEqual({
      expirationSeconds: 3607,
      path: 'token',
    });
    expect(spec.containers[0].volumeMounts).toEqual([
      {
        name: spec.volumes[0].name,
        readOnly: true,
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      },
    ]);
    expect(spec.tolerations).toEqual([
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    expect(spec.priority).toBe(0);
    expect(spec.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  test('a pod in a missing namespace is 404 before any other plugin runs', async () => {
    const res = await s.request('POST', `${ns('nowhere')}/pods`, { body: podBody('web') });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nowhere" not found');
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])(
    'namespace %s cannot be deleted',
    async (name) => {
      const res = await s.request('DELETE', `/api/v1/namespaces/${name}`);
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      );
    },
  );

  test('a terminating namespace refuses new content with the NamespaceTerminating cause', async () => {
    await namespace('dying');
    await s.request('POST', `${ns('dying')}/configmaps`, {
      body: { metadata: { name: 'hold', finalizers: ['example.com/hold'] } },
    });
    expect((await s.request('DELETE', '/api/v1/namespaces/dying')).status).toBe(200);
    const res = await s.request('POST', `${ns('dying')}/configmaps`, {
      body: { metadata: { name: 'late' } },
    });
    expect(res.status).toBe(403);
    expect(res.body.details.causes).toEqual([
      {
        reason: 'NamespaceTerminating',
        message: 'namespace dying is being terminated',
        field: 'metadata.namespace',
      },
    ]);
  });

  test('LimitRanger defaults container resources and refuses what exceeds the max', async () => {
    await namespace('limited');
    const lr = await s.request('POST', `${ns('limited')}/limitranges`, {
      body: {
        metadata: { name: 'lr' },
        spec: {
          limits: [{ type: 'Container', max: { cpu: '1' }, defaultRequest: { cpu: '200m' } }],
        },
      },
    });
    expect(lr.status).toBe(201);
    const ok = await s.request('POST', `${ns('limited')}/pods`, { body: podBody('small') });
    expect(ok.status).toBe(201);
    expect(ok.body.spec.containers[0].resources).toEqual({
      limits: { cpu: '1' },
      requests: { cpu: '200m' },
    });
    expect(ok.body.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for container app; cpu limit for container app',
    );
    const big = await s.request('POST', `${ns('limited')}/pods`, {
      body: podBody('big', {
        containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '2' } } }],
      }),
    });
    expect(big.status).toBe(403);
    expect(big.body.message).toBe(
      'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
  });

  test('ResourceQuota charges status.used and refuses the pod over the limit', async () => {
    await namespace('quota');
    await s.request('POST', `${ns('quota')}/resourcequotas`, {
      body: { metadata: { name: 'pods' }, spec: { hard: { pods: '2' } } },
    });
    // What the quota controller would write first.
    const synced = await s.request('PATCH', `${ns('quota')}/resourcequotas/pods/status`, {
      raw: JSON.stringify({ status: { hard: { pods: '2' }, used: { pods: '0' } } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(synced.status).toBe(200);
    for (const name of ['a', 'b']) {
      expect((await s.request('POST', `${ns('quota')}/pods`, { body: podBody(name) })).status).toBe(
        201,
      );
    }
    const third = await s.request('POST', `${ns('quota')}/pods`, { body: podBody('c') });
    expect(third.status).toBe(403);
    expect(third.body.message).toBe(
      'pods "c" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
    );
    const q = await s.request('GET', `${ns('quota')}/resourcequotas/pods`);
    expect(q.body.status.used).toEqual({ pods: '2' });
    const dry = await s.request('POST', `${ns('quota')}/configmaps?dryRun=All`, {
      body: { metadata: { name: 'x' } },
    });
    expect(dry.status).toBe(201);
  });

  test('Priority resolves classes and the global default', async () => {
    await namespace('prio');
    const pc = await s.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
      body: {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'batch-low' },
        value: 10,
        globalDefault: true,
      },
    });
    expect(pc.status).toBe(201);
    const second = await s.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
      body: {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'other' },
        value: 20,
        globalDefault: true,
      },
    });
    expect(second.status).toBe(403);
    expect(second.body.message).toContain(
      'PriorityClass batch-low is already marked as default. Only one default can exist',
    );
    const p = await s.request('POST', `${ns('prio')}/pods`, { body: podBody('p') });
    expect(p.body.spec).toMatchObject({ priorityClassName: 'batch-low', priority: 10 });
    const crit = await s.request('POST', `${ns('prio')}/pods`, {
      body: podBody('c', { priorityClassName: 'system-cluster-critical' }),
    });
    expect(crit.body.spec.priority).toBe(2000000000);
    const unknown = await s.request('POST', `${ns('prio')}/pods`, {
      body: podBody('u', { priorityClassName: 'nope' }),
    });
    expect(unknown.status).toBe(403);
    expect(unknown.body.message).toBe(
      'pods "u" is forbidden: no PriorityClass with name nope was found',
    );
    await s.request('DELETE', '/apis/scheduling.k8s.io/v1/priorityclasses/batch-low');
  });

  test('DefaultStorageClass names the default class on a claim without one', async () => {
    await s.request('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      body: {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: 'standard',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'kuberx.io/sim',
      },
    });
    const res = await s.request('POST', `${ns('default')}/persistentvolumeclaims`, {
      body: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.spec.storageClassName).toBe('standard');
  });

  test('NodeRestriction keeps a kubelet to its own Node', async () => {
    const kubelet = { user: 'system:node:n1', groups: ['system:nodes'] };
    for (const name of ['n1', 'n2']) {
      const res = await s.request('POST', '/api/v1/nodes', {
        body: { metadata: { name, labels: { 'kubernetes.io/hostname': name } } },
        ...kubelet,
        user: `system:node:${name}`,
      });
      expect(res.status).toBe(201);
    }
    const other = await s.request('PATCH', '/api/v1/nodes/n2', {
      raw: JSON.stringify({ metadata: { labels: { x: 'y' } } }),
      headers: { 'content-type': 'application/merge-patch+json' },
      ...kubelet,
    });
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    );
    const own = await s.request('PATCH', '/api/v1/nodes/n1', {
      raw: JSON.stringify({
        metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } },
      }),
      headers: { 'content-type': 'application/merge-patch+json' },
      ...kubelet,
    });
    expect(own.status).toBe(403);
    expect(own.body.message).toBe(
      'nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane',
    );
    const admin = await s.request('PATCH', '/api/v1/nodes/n2', {
      raw: JSON.stringify({ metadata: { labels: { x: 'y' } } }),
      headers: { 'content-type': 'application/merge-patch+json' },
      user: 'admin',
      groups: ['system:masters'],
    });
    expect(admin.status).toBe(200);
    const pod = await s.request('POST', `${ns('apps')}/pods`, {
      body: podBody('by-kubelet', { nodeName: 'n1' }),
      ...kubelet,
    });
    expect(pod.status).toBe(403);
    expect(pod.body.message).toContain('node "n1" can only create mirror pods');
  });
});
