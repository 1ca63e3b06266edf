import type { EndpointSlice, Node, Pod, Service } from '../../framework/index.js';
import { endpointSliceControllerName } from './defaults.js';
import { planEndpointSlices, type PlanInput, type SlicePlan } from './reconciler.js';

const svcUID = 'svc-uid';

function service(
  spec: Partial<NonNullable<Service['spec']>> = {},
  labels?: Record<string, string>,
): Service {
  return {
    metadata: { name: 'foo', namespace: 'ns', uid: svcUID, labels },
    spec: {
      selector: { app: 'x' },
      clusterIP: '10.96.0.10',
      ipFamilies: ['IPv4'],
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      ...spec,
    },
  };
}

function pod(
  i: number,
  opts: { ready?: boolean; deleting?: boolean; ips?: string[]; node?: string; port?: number } = {},
): Pod {
  const ips = opts.ips ?? [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`];
  return {
    metadata: {
      name: `pod${i}`,
      namespace: 'ns',
      uid: `pod-uid-${i}`,
      labels: { app: 'x' },
      deletionTimestamp: opts.deleting ? '2026-01-01T00:00:00Z' : undefined,
    },
    spec: {
      nodeName: opts.node ?? 'node-1',
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }],
    },
    status: {
      phase: 'Running',
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

const nodes: Record<string, Node> = {
  'node-1': { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } },
  'node-2': { metadata: { name: 'node-2' } },
};

let sliceSeq = 0;
function existingSlice(
  endpoints: NonNullable<EndpointSlice['endpoints']>,
  opts: {
    ports?: EndpointSlice['ports'];
    addressType?: string;
    owner?: string;
    labels?: Record<string, string>;
  } = {},
): EndpointSlice {
  const name = `foo-${++sliceSeq}`;
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `slice-${name}`,
      resourceVersion: '1',
      generation: 1,
      labels: opts.labels ?? {
        'kubernetes.io/service-name': 'foo',
        'endpointslice.kubernetes.io/managed-by': endpointSliceControllerName,
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: 'foo',
          uid: opts.owner ?? svcUID,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: opts.addressType ?? 'IPv4',
    ports: opts.ports ?? [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints,
  };
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'pods'>): SlicePlan {
  return planEndpointSlices({
    service: service(),
    existing: [],
    node: (n) => nodes[n],
    maxEndpointsPerSlice: 100,
    controllerName: endpointSliceControllerName,
    ...input,
  });
}

const pods = (n: number, opts?: Parameters<typeof pod>[1]) =>
  Array.from({ length: n }, (_, i) => pod(i, opts));
const sizes = (slices: EndpointSlice[]) =>
  slices.map((s) => s.endpoints?.length ?? 0).sort((a, b) => b - a);

describe('planning EndpointSlices (upstream reconciler_test.go)', () => {
  test('no pods: one empty placeholder slice owned by the Service (TestReconcileEmpty)', () => {
    const p = plan({ pods: [] });
    expect(p.create).toHaveLength(1);
    expect(p.update).toHaveLength(0);
    expect(p.delete).toHaveLength(0);
    const slice = p.create[0]!;
    expect(slice.endpoints).toEqual([]);
    expect(slice.ports).toEqual([]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.metadata?.generateName).toBe('foo-');
    expect(slice.metadata?.labels).toEqual({
      'kubernetes.io/service-name': 'foo',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'foo',
        uid: svcUID,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  test('an existing placeholder is kept as it is (TestPlaceholderSliceCompare)', () => {
    const placeholder = existingSlice([], { ports: [] });
    const p = plan({ pods: [], existing: [placeholder] });
    expect(p).toEqual({ create: [], update: [], delete: [], skippedPods: [] });
  });

  test('one pod: its endpoint carries conditions, node, zone and target (TestReconcile1Pod)', () => {
    const p = plan({ pods: [pod(0)] });
    expect(p.create).toHaveLength(1);
    expect(p.create[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(p.create[0]!.endpoints).toEqual([
      {
        addresses: ['10.0.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node-1',
        zone: 'zone-a',
        targetRef: { kind: 'Pod', namespace: 'ns', name: 'pod0', uid: 'pod-uid-0' },
      },
    ]);
  });

  test.each([
    ['IPv4 only', { ipFamilies: ['IPv4'] }, ['IPv4']],
    ['IPv6 only', { ipFamilies: ['IPv6'], clusterIP: 'fd00::10' }, ['IPv6']],
    ['dual stack', { ipFamilies: ['IPv4', 'IPv6'] }, ['IPv4', 'IPv6']],
    [
      'headless without families: both',
      { ipFamilies: undefined, clusterIP: 'None' },
      ['IPv4', 'IPv6'],
    ],
    ['no families, v6 cluster IP', { ipFamilies: undefined, clusterIP: 'fd00::1' }, ['IPv6']],
  ])('address types per Service IP families: %s', (_n, spec, want) => {
    const p = plan({
      service: service(spec as never),
      pods: [pod(0, { ips: ['10.0.0.1', 'fd00::1'] })],
    });
    expect(p.create.map((s) => s.addressType).sort()).toEqual(want);
    for (const s of p.create) {
      expect(s.endpoints?.[0]?.addresses).toEqual([
        s.addressType === 'IPv6' ? 'fd00::1' : '10.0.0.1',
      ]);
    }
  });

  test.each([
    ['not ready', { ready: false }, false, { ready: false, serving: false, terminating: false }],
    [
      'terminating and ready',
      { deleting: true },
      false,
      { ready: false, serving: true, terminating: true },
    ],
    [
      'terminating, not ready',
      { deleting: true, ready: false },
      false,
      { ready: false, serving: false, terminating: true },
    ],
    [
      'terminating with publishNotReadyAddresses',
      { deleting: true },
      true,
      { ready: true, serving: true, terminating: true },
    ],
    [
      'not ready with publishNotReadyAddresses',
      { ready: false },
      true,
      { ready: true, serving: false, terminating: false },
    ],
  ])('conditions of a %s pod (TestEndpointSliceTerminating)', (_n, opts, publish, want) => {
    const p = plan({
      service: service({ publishNotReadyAddresses: publish }),
      pods: [pod(0, opts)],
    });
    expect(p.create[0]!.endpoints?.[0]?.conditions).toEqual(want);
  });

  test('250 pods: slices of 100, 100 and 50 (TestReconcileManyPods)', () => {
    const p = plan({ pods: pods(250) });
    expect(sizes(p.create)).toEqual([100, 100, 50]);
  });

  test('maxEndpointsPerSlice is honoured (TestReconcileMaxEndpointsPerSlice)', () => {
    expect(sizes(plan({ pods: pods(250), maxEndpointsPerSlice: 50 }).create)).toEqual([
      50, 50, 50, 50, 50,
    ]);
    expect(sizes(plan({ pods: pods(250), maxEndpointsPerSlice: 1000 }).create)).toEqual([250]);
  });

  test('pods whose ports resolve differently go into different slices (TestReconcileEndpointSlicesNamedPorts)', () => {
    const svc = service({
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    const all = Array.from({ length: 300 }, (_, i) => pod(i, { port: 8080 + (i % 5) }));
    const p = plan({ service: svc, pods: all });
    expect(sizes(p.create)).toEqual([60, 60, 60, 60, 60]);
    expect(new Set(p.create.map((s) => s.ports?.[0]?.port)).size).toBe(5);
  });

  test('an existing slice with all pods and nothing changed is left alone', () => {
    const first = plan({ pods: pods(3) }).create[0]!;
    const stored = existingSlice(first.endpoints!);
    expect(plan({ pods: pods(3), existing: [stored] })).toEqual({
      create: [],
      update: [],
      delete: [],
      skippedPods: [],
    });
  });

  test('a changed condition updates the slice in place', () => {
    const stored = existingSlice(plan({ pods: pods(3) }).create[0]!.endpoints!);
    const changed = pods(3);
    changed[1] = pod(1, { ready: false });
    const p = plan({ pods: changed, existing: [stored] });
    expect(p.create).toHaveLength(0);
    expect(p.update).toHaveLength(1);
    expect(p.update[0]!.metadata?.name).toBe(stored.metadata?.name);
    expect(
      p.update[0]!.endpoints?.find((e) => e.targetRef?.name === 'pod1')?.conditions?.ready,
    ).toBe(false);
  });

  test('a slice whose pods are all gone becomes the placeholder (recycled, not deleted and created)', () => {
    const stored = existingSlice(plan({ pods: pods(3) }).create[0]!.endpoints!);
    const p = plan({ pods: [], existing: [stored] });
    expect(p.create).toHaveLength(0);
    expect(p.delete).toHaveLength(0);
    expect(p.update).toHaveLength(1);
    expect(p.update[0]!.metadata?.name).toBe(stored.metadata?.name);
    expect(p.update[0]!.endpoints).toEqual([]);
  });

  test('new pods fill the existing slice closest to full rather than a new one (getSliceToFill)', () => {
    const all = pods(160);
    const e = plan({ pods: all }).create.map((s) => s.endpoints!);
    // Stored: one slice of 90 and one of 40; 30 pods are new.
    const flat = e.flat();
    const a = existingSlice(flat.slice(0, 90));
    const b = existingSlice(flat.slice(90, 130));
    const p = plan({ pods: all, existing: [a, b] });
    expect(p.create).toHaveLength(0);
    expect(p.update).toHaveLength(1);
    expect(p.update[0]!.metadata?.name).toBe(b.metadata?.name);
    expect(p.update[0]!.endpoints).toHaveLength(70);
  });

  test('deleting endpoints does not rebalance other slices', () => {
    const all = pods(200);
    const flat = plan({ pods: all }).create.flatMap((s) => s.endpoints!);
    const a = existingSlice(flat.slice(0, 100));
    const b = existingSlice(flat.slice(100, 200));
    const remaining = all.filter((_, i) => i % 100 !== 0); // one pod gone from each slice
    const p = plan({ pods: remaining, existing: [a, b] });
    expect(sizes(p.update)).toEqual([99, 99]);
    expect(p.create).toHaveLength(0);
  });

  test('a slice owned by another object is replaced (TestReconcileEndpointSlicesRecreation)', () => {
    const stored = existingSlice(plan({ pods: pods(2) }).create[0]!.endpoints!, {
      owner: 'other-uid',
    });
    const p = plan({ pods: pods(2), existing: [stored] });
    expect(p.delete.map((s) => s.metadata?.name)).toEqual([stored.metadata?.name]);
    expect(p.create).toHaveLength(1);
    expect(p.update).toHaveLength(0);
  });

  test('slices of an address type the Service no longer has are deleted', () => {
    const v6 = existingSlice([], { addressType: 'IPv6', ports: [] });
    const p = plan({ pods: pods(1), existing: [v6] });
    expect(p.delete.map((s) => s.addressType)).toEqual(['IPv6']);
    expect(p.create.map((s) => s.addressType)).toEqual(['IPv4']);
  });

  test('Service labels are mirrored onto slices, with the headless label for headless Services', () => {
    const stored = existingSlice(plan({ pods: pods(1) }).create[0]!.endpoints!);
    const p = plan({
      service: service(
        { clusterIP: 'None' },
        { team: 'a', 'kubernetes.io/service-name': 'ignored' },
      ),
      pods: pods(1),
      existing: [stored],
    });
    expect(p.update[0]!.metadata?.labels).toEqual({
      team: 'a',
      'service.kubernetes.io/headless': '',
      'kubernetes.io/service-name': 'foo',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
  });

  test('pods on an unknown node are skipped (and reported), unless not-ready addresses are published', () => {
    const p = plan({ pods: [pod(0), pod(1, { node: 'gone' })] });
    expect(p.create[0]!.endpoints).toHaveLength(1);
    expect(p.skippedPods).toEqual(['pod1']);
    const q = plan({
      service: service({ publishNotReadyAddresses: true }),
      pods: [pod(1, { node: 'gone' })],
    });
    expect(q.create[0]!.endpoints).toHaveLength(1);
    expect(q.skippedPods).toEqual([]);
  });
});
