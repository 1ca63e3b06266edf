/**
 * The example operator end to end, against kuberx's own API server running in this process:
 * `kuberx run examples/crontab-operator --kubeconfig FILE` (in-process), then CronTabs created,
 * changed and deleted through the API as a user would.
 */
import { runModule } from '../../cli/commands/run.js';
import {
  Deployment,
  isNotFound,
  type ApiClient,
  type KubernetesObject,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

let env: TestEnv;
let stop: AbortController;
let running: Promise<void>;
let out: string;

const CronTabGVK = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };

beforeAll(async () => {
  env = await startTestEnv({ crds: ['crds/crontab.yaml'] });
  stop = new AbortController();
  out = '';
  running = runModule({
    module: 'examples/crontab-operator',
    kubeconfig: env.kubeconfigPath,
    metricsBindAddress: '127.0.0.1:0',
    signal: stop.signal,
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } },
  });
  await eventually(
    () => out.includes('kuberx run ready: 1 controller(s)'),
    'the operator to start',
  );
});

afterAll(async () => {
  stop.abort();
  await running;
  await env.stop();
});

async function getOrUndefined(client: ApiClient, name: string): Promise<Deployment | undefined> {
  try {
    return await client.get(Deployment, name, { namespace: 'default' });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const crontab = (name: string, spec: Record<string, unknown>): KubernetesObject =>
  ({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name, namespace: 'default' },
    spec,
  }) as KubernetesObject;

test('a CronTab gets a Deployment of the same name with its replicas and image, owned by it', async () => {
  const created = await env.client.create(
    crontab('nightly', { cronSpec: '* * * * */5', image: 'my-cron:1', replicas: 3 }),
  );
  let d: Deployment | undefined;
  await eventually(
    async () => (d = await getOrUndefined(env.client, 'nightly')) !== undefined,
    'the Deployment',
  );
  expect(d!.spec?.replicas).toBe(3);
  expect(d!.spec?.template?.spec?.containers?.[0]?.image).toBe('my-cron:1');
  expect(d!.metadata?.ownerReferences).toEqual([
    {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      name: 'nightly',
      uid: created.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
});

test('the replicas default of the CRD (1) reaches the Deployment', async () => {
  await env.client.create(crontab('defaulted', { cronSpec: '0 * * * *', image: 'x:1' }));
  await eventually(
    async () => (await getOrUndefined(env.client, 'defaulted'))?.spec?.replicas === 1,
    'replicas 1',
  );
});

test('changing spec.replicas and spec.image updates the Deployment', async () => {
  await env.client.create(crontab('scaled', { cronSpec: '* * * * *', image: 'a:1', replicas: 2 }));
  await eventually(
    async () => (await getOrUndefined(env.client, 'scaled')) !== undefined,
    'the Deployment',
  );
  await env.client.patch(
    CronTabGVK,
    'scaled',
    { spec: { replicas: 5, image: 'a:2' } },
    { namespace: 'default' },
  );
  await eventually(async () => {
    const d = await getOrUndefined(env.client, 'scaled');
    return d?.spec?.replicas === 5 && d.spec.template?.spec?.containers?.[0]?.image === 'a:2';
  }, 'the scaled Deployment');
});

test('status.replicas follows the Deployment ready replicas (an owned-object event reconciles the owner)', async () => {
  await env.client.create(
    crontab('observed', { cronSpec: '* * * * *', image: 'a:1', replicas: 2 }),
  );
  await eventually(
    async () => (await getOrUndefined(env.client, 'observed')) !== undefined,
    'the Deployment',
  );
  await env.client.patch(
    Deployment,
    'observed',
    { status: { replicas: 2, readyReplicas: 2 } },
    {
      namespace: 'default',
      subresource: 'status',
    },
  );
  await eventually(async () => {
    const ct = (await env.client.get(CronTabGVK, 'observed', { namespace: 'default' })) as {
      status?: { replicas?: number; labelSelector?: string };
    };
    return (
      ct.status?.replicas === 2 && ct.status.labelSelector === 'stable.example.com/crontab=observed'
    );
  }, 'CronTab status.replicas = 2');
});

test('a Deployment deleted by someone else is recreated', async () => {
  await env.client.create(crontab('resilient', { cronSpec: '* * * * *', image: 'a:1' }));
  await eventually(
    async () => (await getOrUndefined(env.client, 'resilient')) !== undefined,
    'the Deployment',
  );
  const before = await env.client.get(Deployment, 'resilient', { namespace: 'default' });
  await env.client.delete(Deployment, 'resilient', { namespace: 'default' });
  await eventually(async () => {
    const d = await getOrUndefined(env.client, 'resilient');
    return d !== undefined && d.metadata?.uid !== before.metadata?.uid;
  }, 'a new Deployment');
});

test('fields written by another manager on the Deployment survive reconciles (server-side apply)', async () => {
  await env.client.create(crontab('shared', { cronSpec: '* * * * *', image: 'a:1' }));
  await eventually(
    async () => (await getOrUndefined(env.client, 'shared')) !== undefined,
    'the Deployment',
  );
  await env.client.patch(
    Deployment,
    'shared',
    { metadata: { annotations: { 'team/owner': 'ops' } } },
    {
      namespace: 'default',
      fieldManager: 'someone-else',
    },
  );
  await env.client.patch(CronTabGVK, 'shared', { spec: { replicas: 4 } }, { namespace: 'default' });
  await eventually(
    async () => (await getOrUndefined(env.client, 'shared'))?.spec?.replicas === 4,
    'replicas 4',
  );
  const d = await env.client.get(Deployment, 'shared', { namespace: 'default' });
  expect(d.metadata?.annotations).toEqual({ 'team/owner': 'ops' });
});
