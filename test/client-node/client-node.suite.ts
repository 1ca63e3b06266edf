/**
 * @kubernetes/client-node against kuberx: typed CRUD (CoreV1Api, AppsV1Api), the generic
 * KubernetesObjectApi with each patch strategy, Watch, and makeInformer — run by
 * `client-node.test.ts` once per storage backend.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import type { TestServer } from '../apiserver/harness.js';

function kubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kuberx', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'unused' }],
    contexts: [{ name: 'c', cluster: 'kuberx', user: 'u', namespace: 'default' }],
    currentContext: 'c',
  });
  return kc;
}

/** Polls `cond` in real time (a real HTTP client is involved) until true. */
async function eventually(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The error a client-node call rejects with: an ApiException carrying the Status body. */
async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; body: string };
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the call to fail');
}

export function clientNodeSuite(server: () => TestServer): void {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const namespace = 'client-node';

  beforeAll(async () => {
    kc = kubeConfig(server().url);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  test('typed create, read, list, replace and delete of a ConfigMap', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'cm', labels: { app: 'a' } }, data: { k: 'v' } },
    });
    expect(created.metadata?.uid).toEqual(expect.any(String));
    const read = await core.readNamespacedConfigMap({ name: 'cm', namespace });
    expect(read.data).toEqual({ k: 'v' });
    const list = await core.listNamespacedConfigMap({ namespace, labelSelector: 'app=a' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['cm']);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'cm',
      namespace,
      body: { ...read, data: { k: 'w' } },
    });
    expect(replaced.data).toEqual({ k: 'w' });
    const stale = await apiError(
      core.replaceNamespacedConfigMap({
        name: 'cm',
        namespace,
        body: { ...read, data: { k: 'x' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    await core.deleteNamespacedConfigMap({ name: 'cm', namespace });
    const gone = await apiError(core.readNamespacedConfigMap({ name: 'cm', namespace }));
    expect(gone.code).toBe(404);
    expect(gone.body.message).toBe('configmaps "cm" not found');
  });

  test('typed Deployment create, scale through /scale, and status', async () => {
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      },
    });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace });
    expect(scale.spec?.replicas).toBe(1);
    expect(scale.status?.selector).toBe('app=web');
    await apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace,
      body: { ...scale, spec: { replicas: 3 } },
    });
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
    expect(d.spec?.replicas).toBe(3);
    expect(d.metadata?.generation).toBe(2);
    const withStatus = await apps.replaceNamespacedDeploymentStatus({
      name: 'web',
      namespace,
      body: { ...d, status: { replicas: 3, observedGeneration: 2 } },
    });
    expect(withStatus.status?.observedGeneration).toBe(2);
  });

  test.each([
    [PatchStrategy.StrategicMergePatch, { data: { merged: 'smp' } }, 'smp'],
    [PatchStrategy.MergePatch, { data: { merged: 'merge' } }, 'merge'],
    [PatchStrategy.JsonPatch, [{ op: 'add', path: '/data/merged', value: 'json' }], 'json'],
  ])('patch with %s', async (strategy, patch, expected) => {
    const name = `patch-${expected}`;
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name }, data: { a: '1' } },
    });
    const out = await core.patchNamespacedConfigMap(
      { name, namespace, body: patch },
      setHeaderOptions('Content-Type', strategy),
    );
    expect(out.data).toEqual({ a: '1', merged: expected });
  });

  test('server-side apply through KubernetesObjectApi', async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    const spec = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace },
      data: { k: 'v' },
    };
    const first = await client.patch(
      spec,
      undefined,
      undefined,
      'client-node',
      true,
      PatchStrategy.ServerSideApply,
    );
    const applied = first as V1ConfigMap;
    expect(applied.data).toEqual({ k: 'v' });
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe('client-node');
  });

  test('Watch delivers ADDED, MODIFIED and DELETED', async () => {
    const list = await core.listNamespacedConfigMap({ namespace });
    const seen: Array<[string, string]> = [];
    const watch = new Watch(kc);
    const abort = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase, obj) => seen.push([phase, obj.metadata?.name]),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'watched' } } });
      await core.patchNamespacedConfigMap(
        { name: 'watched', namespace, body: { data: { x: '1' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace });
      await eventually(() => seen.filter(([, n]) => n === 'watched').length === 3);
      expect(seen.filter(([, n]) => n === 'watched').map(([p]) => p)).toEqual([
        'ADDED',
        'MODIFIED',
        'DELETED',
      ]);
    } finally {
      abort.abort();
    }
  });

  test('makeInformer lists, then follows changes into its cache', async () => {
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'before', labels: { inf: 'y' } } },
    });
    const informer = makeInformer(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace, labelSelector: 'inf=y' }),
      'inf=y',
    );
    const events: string[] = [];
    informer.on('add', (o) => events.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => events.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => events.push(`delete:${o.metadata?.name}`));
    informer.on('error', () => undefined);
    await informer.start();
    try {
      await eventually(() => events.includes('add:before'));
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: 'after', labels: { inf: 'y' } } },
      });
      await core.patchNamespacedConfigMap(
        { name: 'before', namespace, body: { data: { changed: 'yes' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'after', namespace });
      await eventually(() => events.includes('delete:after'));
      expect(events).toEqual(['add:before', 'add:after', 'update:before', 'delete:after']);
      expect(informer.list().map((o) => o.metadata?.name)).toEqual(['before']);
      expect(informer.get('before', namespace)?.data).toEqual({ changed: 'yes' });
    } finally {
      await informer.stop();
    }
  });
}
