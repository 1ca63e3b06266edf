import { ConfigMap, Pod, ResourceQuota, type ApiClient } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { serviceAccountController } from '../serviceaccount/serviceaccounts.js';
import {
  createNamespace,
  startClusterHarness,
  testPod,
  type ClusterHarness,
} from '../testharness.js';
import { resourceQuotaController } from './resourcequota.js';

let h: ClusterHarness;
let api: ApiClient;

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [serviceAccountController, resourceQuotaController],
  });
  api = h.env.client;
});
afterAll(() => h.stop());

const namespace = (name: string) => createNamespace(api, name);

async function quota(ns: string, name: string, spec: ResourceQuota['spec']) {
  await api.create<ResourceQuota>(
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec },
    { kind: ResourceQuota },
  );
}

const status = async (ns: string, name: string) =>
  (await api.get(ResourceQuota, name, { namespace: ns })).status;

function cpuPod(ns: string, name: string, cpu: string) {
  const p = testPod(ns, name);
  p.spec!.containers[0]!.resources = { requests: { cpu }, limits: { cpu } };
  return p;
}

test('status.hard copies spec.hard and status.used counts what exists', async () => {
  await namespace('rq1');
  await api.create(cpuPod('rq1', 'a', '250m'), { kind: Pod });
  await api.create(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'rq1' } },
    { kind: ConfigMap },
  );
  await quota('rq1', 'q', {
    hard: {
      pods: '2',
      'requests.cpu': '1',
      'limits.cpu': '2',
      configmaps: '5',
      'count/configmaps': '5',
      services: '3',
    },
  });
  await eventually(async () => (await status('rq1', 'q'))?.used !== undefined, 'usage computed');
  const s = (await status('rq1', 'q'))!;
  expect(s.hard).toEqual({
    configmaps: '5',
    'count/configmaps': '5',
    'limits.cpu': '2',
    pods: '2',
    'requests.cpu': '1',
    services: '3',
  });
  // kube-root-ca.crt is not published here (no CA), so the namespace holds one ConfigMap.
  expect(s.used).toEqual({
    configmaps: '1',
    'count/configmaps': '1',
    'limits.cpu': '250m',
    pods: '1',
    'requests.cpu': '250m',
    services: '0',
  });
});

test('deleting a pod frees its usage (replenishment)', async () => {
  await namespace('rq2');
  await quota('rq2', 'q', { hard: { pods: '5' } });
  await eventually(async () => (await status('rq2', 'q'))?.used?.pods === '0', 'usage 0');
  await api.create(testPod('rq2', 'a'), { kind: Pod });
  await api.create(testPod('rq2', 'b'), { kind: Pod });
  // Creates are charged by admission (not running here) or at the next recalculation: force one.
  await api.patch(ResourceQuota, 'q', { spec: { hard: { pods: '6' } } }, { namespace: 'rq2' });
  await eventually(async () => (await status('rq2', 'q'))?.used?.pods === '2', 'two pods counted');
  await api.delete(Pod, 'a', { namespace: 'rq2' });
  await eventually(async () => (await status('rq2', 'q'))?.used?.pods === '1', 'usage replenished');
});

test('a BestEffort-scoped quota counts only best-effort pods', async () => {
  await namespace('rq3');
  await api.create(testPod('rq3', 'be'), { kind: Pod });
  await api.create(cpuPod('rq3', 'burst', '100m'), { kind: Pod });
  await quota('rq3', 'be', { hard: { pods: '10' }, scopes: ['BestEffort'] });
  await eventually(
    async () => (await status('rq3', 'be'))?.used?.pods === '1',
    'one best-effort pod',
  );
});

test('a change of spec.hard is reflected in status', async () => {
  await namespace('rq4');
  await quota('rq4', 'q', { hard: { pods: '2' } });
  await eventually(async () => (await status('rq4', 'q'))?.hard?.pods === '2', 'hard 2');
  await api.patch(
    ResourceQuota,
    'q',
    { spec: { hard: { pods: '5', secrets: '3' } } },
    { namespace: 'rq4' },
  );
  await eventually(async () => {
    const s = await status('rq4', 'q');
    return s?.hard?.pods === '5' && s.used?.secrets === '0';
  }, 'new hard and usage');
});
