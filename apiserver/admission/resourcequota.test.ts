import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../registry/types.js';
import { resourceQuotaAdmission } from './resourcequota.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';

type Obj = Record<string, any>;

function quota(name: string, hard: Obj, used: Obj | undefined, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: 'default' },
    spec: { hard, ...spec },
    status: used === undefined ? { hard } : { hard, used },
  };
}

const withCpu = (cpu: string, name = 'web') =>
  pod(name, {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        resources: { requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } },
      },
    ],
  });

async function create(lookup: FakeLookup, obj: KubeObject, resource = 'pods', dryRun = false) {
  const attrs = attrsFor('', resource, 'CREATE', { object: obj, dryRun });
  await resourceQuotaAdmission({ lookup }).validate!(attrs);
}

const used = async (lookup: FakeLookup, name = 'q') =>
  ((await lookup.get({ group: '', resource: 'resourcequotas' }, 'default', name))!.status as Obj)
    .used;

describe('ResourceQuota admission', () => {
  test('an admitted pod is charged to status.used', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' }),
    );
    await create(lookup, withCpu('300m'));
    expect(await used(lookup)).toEqual({ pods: '1', 'requests.cpu': '300m' });
  });

  test('a pod over the pod count is refused with upstream message', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { pods: '2' }, { pods: '2' }),
    );
    await expect(create(lookup, pod('third'))).rejects.toThrow(
      'pods "third" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    expect(await used(lookup)).toEqual({ pods: '2' });
  });

  test('only the exceeded resources are named', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { pods: '10', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '800m' }),
    );
    await expect(create(lookup, withCpu('500m'))).rejects.toThrow(
      'exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1',
    );
  });

  test('a quota on cpu needs every container to state it', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { 'limits.cpu': '2' }, { 'limits.cpu': '0' }),
    );
    await expect(create(lookup, pod('web'))).rejects.toThrow(
      'pods "web" is forbidden: failed quota: q: must specify limits.cpu for: app',
    );
  });

  test('a quota without usage for a tracked resource refuses with "status unknown"', async () => {
    const lookup = new FakeLookup().add('', 'resourcequotas', quota('q', { pods: '2' }, {}));
    await expect(create(lookup, pod('web'))).rejects.toThrow(
      'status unknown for quota: q, resources: pods',
    );
  });

  test('a quota the controller has not synced (no status.hard) constrains nothing', async () => {
    const q = quota('q', { pods: '0' }, undefined);
    q.status = {};
    const lookup = new FakeLookup().add('', 'resourcequotas', q);
    await expect(create(lookup, pod('web'))).resolves.toBeUndefined();
    expect(lookup.statusWrites).toBe(0);
  });

  test('object counts apply to any resource, with the legacy names for configmaps', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota(
        'q',
        { configmaps: '1', 'count/configmaps': '5' },
        { configmaps: '1', 'count/configmaps': '1' },
      ),
    );
    await expect(
      create(lookup, { metadata: { name: 'c', namespace: 'default' } }, 'configmaps'),
    ).rejects.toThrow(
      'exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
  });

  test('services count node ports and load balancers', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota(
        'q',
        { 'services.nodeports': '1', services: '5' },
        { 'services.nodeports': '0', services: '0' },
      ),
    );
    const svc = {
      metadata: { name: 's', namespace: 'default' },
      spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] },
    };
    await expect(create(lookup, svc, 'services')).rejects.toThrow(
      'exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
    );
  });

  test('claims are charged per storage class', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota(
        'q',
        { 'fast.storageclass.storage.k8s.io/requests.storage': '10Gi' },
        { 'fast.storageclass.storage.k8s.io/requests.storage': '8Gi' },
      ),
    );
    const pvc = {
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } },
    };
    await expect(create(lookup, pvc, 'persistentvolumeclaims')).rejects.toThrow(
      'requested: fast.storageclass.storage.k8s.io/requests.storage=5Gi',
    );
  });

  test.each([
    ['BestEffort', pod('be'), true],
    ['BestEffort', withCpu('1'), false],
    ['NotBestEffort', withCpu('1'), true],
    ['Terminating', pod('t', { activeDeadlineSeconds: 30 }), true],
    ['NotTerminating', pod('t', { activeDeadlineSeconds: 30 }), false],
  ])('a %s-scoped quota applies to a matching pod only (%#)', async (scope, p, applies) => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { pods: '0' }, { pods: '0' }, { scopes: [scope] }),
    );
    const result = create(lookup, p);
    if (applies) await expect(result).rejects.toThrow('exceeded quota: q');
    else await expect(result).resolves.toBeUndefined();
  });

  test('a PriorityClass scope selector matches the pod class', async () => {
    const q = quota(
      'q',
      { pods: '0' },
      { pods: '0' },
      {
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }],
        },
      },
    );
    const lookup = new FakeLookup().add('', 'resourcequotas', q);
    await expect(create(lookup, pod('low', { priorityClassName: 'low' }))).resolves.toBeUndefined();
    await expect(create(lookup, pod('high', { priorityClassName: 'high' }))).rejects.toThrow(
      'exceeded quota',
    );
  });

  test('dry-run requests are checked but not charged', async () => {
    const lookup = new FakeLookup().add(
      '',
      'resourcequotas',
      quota('q', { pods: '2' }, { pods: '0' }),
    );
    await create(lookup, pod('web'), 'pods', true);
    expect(lookup.statusWrites).toBe(0);
  });

  test('every matching quota is checked and charged', async () => {
    const lookup = new FakeLookup()
      .add('', 'resourcequotas', quota('a', { pods: '5' }, { pods: '1' }))
      .add('', 'resourcequotas', quota('b', { 'count/pods': '5' }, { 'count/pods': '4' }));
    await create(lookup, pod('web'));
    expect(await used(lookup, 'a')).toEqual({ pods: '2' });
    expect(await used(lookup, 'b')).toEqual({ 'count/pods': '5' });
    await expect(create(lookup, pod('web2'))).rejects.toThrow('exceeded quota: b');
  });
});
