import { endpoints, serviceAccounts } from './endpoints.js';
import { podTemplates, replicationControllers } from './replicationcontrollers.js';
import { limitRanges, resourceQuotas } from './quota.js';
import { persistentVolumeClaims, persistentVolumes } from './volumes.js';
import { create, podTemplate, row, update } from '../testing/harness.js';

describe('endpoints (ValidateEndpoints, printEndpoints)', () => {
  const ep = (subsets: unknown[]) => ({ metadata: { name: 'web' }, subsets });

  test('ports default to TCP and a valid subset passes', () => {
    const { obj, errors } = create(
      endpoints,
      ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]),
    );
    expect(errors).toEqual([]);
    expect((obj.subsets as any)[0].ports[0].protocol).toBe('TCP');
  });

  test.each([
    [
      'a subset needs addresses',
      [{ ports: [{ port: 80 }] }],
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    ],
    [
      'addresses are IPs',
      [{ addresses: [{ ip: 'x' }] }],
      'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'loopback is not allowed',
      [{ addresses: [{ ip: '127.0.0.1' }] }],
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ],
    [
      'several ports need names',
      [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 81 }] }],
      'subsets[0].ports[0].name: Required value',
    ],
  ])('%s', (_rule, subsets, message) => {
    expect(create(endpoints, ep(subsets)).errors).toContain(message);
  });

  test.each([
    [[], '<none>'],
    [
      [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }],
      '10.0.0.1:80,10.0.0.2:80',
    ],
    [
      [
        {
          addresses: [
            { ip: '1.1.1.1' },
            { ip: '1.1.1.2' },
            { ip: '1.1.1.3' },
            { ip: '1.1.1.4' },
            { ip: '1.1.1.5' },
          ],
          ports: [{ port: 80 }],
        },
      ],
      '1.1.1.1:80,1.1.1.2:80,1.1.1.3:80 + 2 more...',
    ],
    [[{ addresses: [{ ip: '10.0.0.1' }] }], '10.0.0.1'],
  ])('ENDPOINTS cell of %j is %s', (subsets, text) => {
    expect(row(endpoints, ep(subsets)).Endpoints).toBe(text);
  });

  test('endpoints are stored under services/endpoints', () => {
    expect(endpoints.storagePrefix).toBe('services/endpoints');
  });

  test('service accounts serve /token and print NAME SECRETS AGE', () => {
    expect(serviceAccounts.subresources).toEqual(['token']);
    expect(
      row(serviceAccounts, {
        metadata: { name: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
      }),
    ).toEqual({ Name: 'default', Secrets: 0, Age: '60m' });
  });
});

describe('replicationcontrollers and podtemplates', () => {
  test('selector and labels default to the template labels', () => {
    const { obj, errors } = create(replicationControllers, {
      metadata: { name: 'rc' },
      spec: { template: podTemplate({ app: 'x' }) },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ selector: { app: 'x' }, replicas: 1 });
    expect(obj.metadata!.labels).toEqual({ app: 'x' });
  });

  test('the selector must match the template', () => {
    const { errors } = create(replicationControllers, {
      metadata: { name: 'rc' },
      spec: { selector: { app: 'y' }, template: podTemplate({ app: 'x' }) },
    });
    expect(errors).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`',
    ]);
  });

  test('RCs orphan their pods by default (legacy v1 GC policy)', () => {
    expect(replicationControllers.defaultPropagation).toBe('Orphan');
  });

  test('pod templates validate the template and print its containers', () => {
    expect(
      create(podTemplates, { metadata: { name: 't' }, template: { spec: { containers: [] } } })
        .errors,
    ).toEqual(['template.spec.containers: Required value']);
    expect(
      row(podTemplates, { metadata: { name: 't' }, template: podTemplate({ a: 'b' }) }),
    ).toEqual({ Name: 't', Containers: 'c', Images: 'nginx:1.25', 'Pod Labels': 'a=b' });
  });
});

describe('resourcequotas and limitranges', () => {
  test('quota quantities must be non-negative and scopes known', () => {
    const { errors } = create(resourceQuotas, {
      metadata: { name: 'q' },
      spec: { hard: { pods: '-1', cpu: '1x' }, scopes: ['Sometimes'] },
    });
    expect(errors).toEqual([
      'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.hard[cpu]: Invalid value: "1x": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
      'spec.scopes[0]: Unsupported value: "Sometimes": supported values: "BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass"',
    ]);
  });

  test('the quota table splits requests and limits', () => {
    const r = row(resourceQuotas, {
      metadata: { name: 'q', creationTimestamp: '2024-01-01T00:00:00Z' },
      status: {
        hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi' },
        used: { pods: '1', 'requests.cpu': '500m' },
      },
    });
    expect(r).toEqual({
      Name: 'q',
      Age: '60m',
      Request: 'pods: 1/10, requests.cpu: 500m/2',
      Limit: 'limits.memory: 0/2Gi',
    });
  });

  test('container limit ranges default limits from max and requests from defaults, then min', () => {
    const { obj, errors } = create(limitRanges, {
      metadata: { name: 'l' },
      spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] },
    });
    expect(errors).toEqual([]);
    expect((obj.spec as any).limits[0]).toMatchObject({
      default: { cpu: '2' },
      defaultRequest: { cpu: '2', memory: '64Mi' },
    });
  });

  test('min may not exceed max, and Pod items may not have defaults', () => {
    const { errors } = create(limitRanges, {
      metadata: { name: 'l' },
      spec: {
        limits: [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' }, default: { cpu: '1' } }],
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
        'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      ]),
    );
  });
});

describe('persistentvolumes and claims', () => {
  const pv = (spec: Record<string, unknown>) => ({
    metadata: { name: 'pv1' },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: '/d' },
      ...spec,
    },
  });
  const pvc = (spec: Record<string, unknown> = {}) => ({
    metadata: { name: 'c' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });

  test('a PV defaults to Retain/Filesystem and starts Pending', () => {
    const { obj, errors } = create(persistentVolumes, pv({}));
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
    expect(obj.status).toEqual({ phase: 'Pending' });
  });

  test.each([
    [
      'a source is required',
      pv({ hostPath: undefined }),
      'spec: Required value: must specify a volume type',
    ],
    [
      'capacity must be storage',
      pv({ capacity: { cpu: '1' } }),
      'spec.capacity: Unsupported value: {"cpu":"1"}: supported values: "storage"',
    ],
    [
      'access modes are an enum',
      pv({ accessModes: ['ReadAlways'] }),
      'spec.accessModes: Unsupported value: "ReadAlways": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    ],
    [
      'reclaim policies are an enum',
      pv({ persistentVolumeReclaimPolicy: 'Keep' }),
      'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    ],
  ])('PV: %s', (_rule, input, message) => {
    expect(create(persistentVolumes, input).errors).toContain(message);
  });

  test('a PV source is immutable', () => {
    const { obj: old } = create(persistentVolumes, pv({}));
    const next = structuredClone(old);
    (next.spec as any).hostPath.path = '/other';
    expect(update(persistentVolumes, next, old).errors).toEqual([
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
    ]);
  });

  test('a claim needs access modes and a positive storage request', () => {
    expect(create(persistentVolumeClaims, pvc({ accessModes: [] })).errors).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
    ]);
    expect(create(persistentVolumeClaims, pvc({ resources: {} })).errors).toEqual([
      'spec.resources[storage]: Required value',
    ]);
    expect(
      create(persistentVolumeClaims, pvc({ resources: { requests: { storage: '0' } } })).errors,
    ).toEqual(['spec.resources[storage]: Invalid value: "0": must be greater than zero']);
  });

  test('a claim spec is immutable except requests, which may only grow; binding may set volumeName', () => {
    const { obj: old } = create(persistentVolumeClaims, pvc());
    const bigger = structuredClone(old);
    (bigger.spec as any).resources.requests.storage = '2Gi';
    (bigger.spec as any).volumeName = 'pv1';
    expect(update(persistentVolumeClaims, bigger, old).errors).toEqual([]);
    const smaller = structuredClone(old);
    (smaller.spec as any).resources.requests.storage = '512Mi';
    expect(update(persistentVolumeClaims, smaller, old).errors).toEqual([
      'spec.resources.requests.storage: Forbidden: field can not be less than previous value',
    ]);
    const other = structuredClone(old);
    (other.spec as any).accessModes = ['ReadWriteMany'];
    expect(update(persistentVolumeClaims, other, old).errors).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });

  test('tables: PV and bound PVC', () => {
    const { obj } = create(
      persistentVolumes,
      pv({ claimRef: { namespace: 'd', name: 'c' }, storageClassName: 'fast' }),
    );
    obj.status = { phase: 'Bound' };
    expect(row(persistentVolumes, obj)).toMatchObject({
      Capacity: '1Gi',
      'Access Modes': 'RWO',
      'Reclaim Policy': 'Retain',
      Status: 'Bound',
      Claim: 'd/c',
      StorageClass: 'fast',
      VolumeAttributesClass: '<unset>',
      VolumeMode: 'Filesystem',
    });
    const claim = {
      metadata: { name: 'c' },
      spec: { volumeName: 'pv1', storageClassName: 'fast' },
      status: {
        phase: 'Bound',
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      },
    };
    expect(row(persistentVolumeClaims, claim)).toMatchObject({
      Status: 'Bound',
      Volume: 'pv1',
      Capacity: '1Gi',
      'Access Modes': 'RWO,ROX',
      StorageClass: 'fast',
    });
  });
});
