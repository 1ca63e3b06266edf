import { describe, expect, test } from '@jest/globals';
import { setDefaultsLimitRange } from '../registry/core/quota.js';
import type { KubeObject } from '../registry/types.js';
import { limitRanger } from './limitranger.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';

type Obj = Record<string, any>;

function limitRange(limits: Obj[]): KubeObject {
  const lr: KubeObject = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'limits', namespace: 'default' },
    spec: { limits },
  };
  setDefaultsLimitRange(lr); // as the registry stores it
  return lr;
}

async function run(
  lr: KubeObject,
  p: KubeObject,
  resource = 'pods',
  op: 'CREATE' | 'UPDATE' = 'CREATE',
) {
  const lookup = new FakeLookup().add('', 'limitranges', lr);
  const plugin = limitRanger({ lookup });
  const attrs = attrsFor('', resource, op, {
    object: p,
    oldObject: op === 'UPDATE' ? p : undefined,
  });
  await plugin.admit!(attrs);
  await plugin.validate!(attrs);
  return attrs.object as Obj;
}

const container = (resources: Obj, name = 'app') => ({ name, image: 'nginx', resources });

describe('LimitRanger admission', () => {
  test('containers get default limits and requests and the pod is annotated', async () => {
    const lr = limitRange([
      {
        type: 'Container',
        default: { cpu: '500m', memory: '256Mi' },
        defaultRequest: { cpu: '100m' },
      },
    ]);
    const out = await run(
      lr,
      pod('web', { containers: [container({ limits: { memory: '1Gi' } })] }),
    );
    expect(out.spec.containers[0].resources).toEqual({
      limits: { memory: '1Gi', cpu: '500m' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    expect(out.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container app; cpu limit for container app',
    );
  });

  test('init containers are defaulted and named as such in the annotation', async () => {
    const lr = limitRange([{ type: 'Container', defaultRequest: { cpu: '100m' } }]);
    const out = await run(
      lr,
      pod('web', {
        containers: [container({ requests: { cpu: '1' } })],
        initContainers: [container({}, 'init')],
      }),
    );
    expect(out.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for init container init',
    );
  });

  test.each([
    [
      'a limit above the container max',
      [{ type: 'Container', max: { cpu: '1' } }],
      container({ limits: { cpu: '2' }, requests: { cpu: '500m' } }),
      'pods "web" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    ],
    [
      'a request below the container min',
      [{ type: 'Container', min: { memory: '100Mi' }, max: { memory: '1Gi' } }],
      container({ requests: { memory: '50Mi' }, limits: { memory: '200Mi' } }),
      'pods "web" is forbidden: minimum memory usage per Container is 100Mi, but request is 50Mi',
    ],
    [
      'a limit/request ratio above the maximum',
      [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }],
      container({ requests: { cpu: '100m' }, limits: { cpu: '400m' } }),
      'pods "web" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    ],
    [
      'a pod total above the pod max',
      [{ type: 'Pod', max: { cpu: '1' } }],
      container({ requests: { cpu: '600m' }, limits: { cpu: '600m' } }),
      'pods "web" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m',
    ],
  ])('%s is refused with 403', async (_c, limits, c, message) => {
    // Pod rows sum two containers; container rows check one (each container reports its own).
    const both = (limits[0] as Obj).type === 'Pod';
    const p = pod('web', { containers: both ? [c, { ...c, name: 'side' }] : [c] });
    await expect(run(limitRange(limits), p)).rejects.toThrow(message);
  });

  test('several violations are reported together as upstream aggregates them', async () => {
    const lr = limitRange([{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }]);
    const p = pod('web', { containers: [container({ limits: { cpu: '2', memory: '2Gi' } })] });
    await expect(run(lr, p)).rejects.toThrow(
      'pods "web" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
    );
  });

  test('a container max without a limit on the container is refused', async () => {
    const lr: KubeObject = {
      metadata: { name: 'l', namespace: 'default' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] },
    }; // not defaulted: max does not become the default limit
    await expect(run(lr, pod('web'))).rejects.toThrow(
      'maximum cpu usage per Container is 1.  No limit is specified',
    );
  });

  test('a pod within every limit is admitted unchanged apart from defaults', async () => {
    const lr = limitRange([{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '2' } }]);
    const out = await run(
      lr,
      pod('web', { containers: [container({ requests: { cpu: '1' }, limits: { cpu: '1' } })] }),
    );
    expect(out.spec.containers[0].resources).toEqual({
      requests: { cpu: '1' },
      limits: { cpu: '1' },
    });
    expect(out.metadata.annotations).toBeUndefined();
  });

  test.each([
    [
      'below min',
      '1Gi',
      'minimum storage usage per PersistentVolumeClaim is 2Gi, but request is 1Gi',
    ],
    [
      'above max',
      '20Gi',
      'maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    ],
  ])('a claim %s is refused', async (_c, size, message) => {
    const lr = limitRange([
      { type: 'PersistentVolumeClaim', min: { storage: '2Gi' }, max: { storage: '10Gi' } },
    ]);
    const pvc = {
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    };
    await expect(run(lr, pvc, 'persistentvolumeclaims')).rejects.toThrow(
      `persistentvolumeclaims "data" is forbidden: ${message}`,
    );
  });

  test('pod updates are not checked (containers are immutable)', async () => {
    const lr = limitRange([{ type: 'Container', max: { cpu: '1' } }]);
    const p = pod('web', { containers: [container({ limits: { cpu: '2' } })] });
    await expect(run(lr, p, 'pods', 'UPDATE')).resolves.toBeDefined();
  });
});
