import type { Pod, Service } from '../../framework/index.js';
import { repackSubsets, type EndpointSubset } from './repack.js';
import {
  desiredEndpoints,
  desiredSubsets,
  podToEndpointAddress,
  truncateSubsets,
} from './subsets.js';

function svc(spec: Service['spec'], name = 'foo'): Service {
  return { metadata: { name, namespace: 'ns', labels: {} }, spec };
}

function pod(
  name: string,
  opts: {
    ip?: string;
    ips?: string[];
    ready?: boolean;
    phase?: string;
    deleting?: boolean;
    ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
    hostname?: string;
    subdomain?: string;
    node?: string;
    restartableInitPorts?: Array<{ name: string; containerPort: number }>;
  } = {},
): Pod {
  const ips = opts.ips ?? (opts.ip === undefined ? ['1.2.3.4'] : opts.ip ? [opts.ip] : []);
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: { app: 'x' },
      deletionTimestamp: opts.deleting ? '2026-01-01T00:00:00Z' : undefined,
    },
    spec: {
      nodeName: opts.node ?? 'node-1',
      hostname: opts.hostname,
      subdomain: opts.subdomain,
      containers: [{ name: 'c', ports: opts.ports ?? [] }],
      initContainers: opts.restartableInitPorts
        ? [{ name: 'side', restartPolicy: 'Always', ports: opts.restartableInitPorts }]
        : undefined,
    },
    status: {
      phase: opts.phase ?? 'Running',
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  } as Pod;
}

const tcp80 = { port: 80, targetPort: 8080, protocol: 'TCP' };

describe('which pods are in Endpoints (ShouldPodBeInEndpoints, TestSyncEndpointsItemsExclude*)', () => {
  test.each([
    ['a running ready pod', pod('p'), { addresses: 1, notReady: 0 }],
    [
      'a running unready pod goes to notReadyAddresses',
      pod('p', { ready: false }),
      { addresses: 0, notReady: 1 },
    ],
    ['a Failed pod is excluded', pod('p', { phase: 'Failed' }), { addresses: 0, notReady: 0 }],
    [
      'a Succeeded pod is excluded',
      pod('p', { phase: 'Succeeded' }),
      { addresses: 0, notReady: 0 },
    ],
    ['a pod without IP is excluded', pod('p', { ip: '' }), { addresses: 0, notReady: 0 }],
    ['a terminating pod is excluded', pod('p', { deleting: true }), { addresses: 0, notReady: 0 }],
  ])('%s', (_name, p, want) => {
    const subsets = desiredSubsets(svc({ selector: { app: 'x' }, ports: [tcp80] }), [p]);
    const count = (k: 'addresses' | 'notReadyAddresses') =>
      subsets.reduce((n, s) => n + (s[k]?.length ?? 0), 0);
    expect({ addresses: count('addresses'), notReady: count('notReadyAddresses') }).toEqual(want);
  });

  test('publishNotReadyAddresses puts unready and terminating pods in addresses', () => {
    const subsets = desiredSubsets(
      svc({ selector: { app: 'x' }, ports: [tcp80], publishNotReadyAddresses: true }),
      [pod('a', { ready: false, ip: '10.0.0.1' }), pod('b', { deleting: true, ip: '10.0.0.2' })],
    );
    expect(subsets).toEqual([
      {
        addresses: [
          expect.objectContaining({ ip: '10.0.0.1' }),
          expect.objectContaining({ ip: '10.0.0.2' }),
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });
});

describe('ports (FindPort, TestSyncEndpointsItems, TestEndpointPortFromServicePort)', () => {
  test('a named targetPort resolves per pod; a pod without that port is omitted', () => {
    const service = svc({
      selector: { app: 'x' },
      ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    const subsets = desiredSubsets(service, [
      pod('a', { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('b', { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 9090 }] }),
      pod('c', { ip: '10.0.0.3', ports: [{ name: 'other', containerPort: 7070 }] }),
    ]);
    expect(subsets).toHaveLength(2);
    const byPort = Object.fromEntries(
      subsets.map((s) => [s.ports![0]!.port, s.addresses!.map((a) => a.ip)]),
    );
    expect(byPort).toEqual({ 8080: ['10.0.0.1'], 9090: ['10.0.0.2'] });
    expect(subsets[0]!.ports![0]!.name).toBe('web');
  });

  test('a named port must also match the protocol', () => {
    const service = svc({
      selector: { app: 'x' },
      ports: [{ port: 53, targetPort: 'dns', protocol: 'UDP' }],
    });
    const subsets = desiredSubsets(service, [
      pod('a', { ports: [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }] }),
    ]);
    expect(subsets).toEqual([]);
  });

  test('restartable init containers (sidecars) can serve named ports', () => {
    const service = svc({
      selector: { app: 'x' },
      ports: [{ port: 80, targetPort: 'proxy', protocol: 'TCP' }],
    });
    const subsets = desiredSubsets(service, [
      pod('a', { restartableInitPorts: [{ name: 'proxy', containerPort: 15001 }] }),
    ]);
    expect(subsets[0]!.ports).toEqual([{ port: 15001, protocol: 'TCP' }]);
  });

  test('protocol and appProtocol are copied from the service port', () => {
    const service = svc({
      selector: { app: 'x' },
      ports: [
        {
          name: 'sctp',
          port: 99,
          targetPort: 99,
          protocol: 'SCTP',
          appProtocol: 'example.com/x',
        },
      ],
    });
    expect(desiredSubsets(service, [pod('a')])[0]!.ports).toEqual([
      { name: 'sctp', port: 99, protocol: 'SCTP', appProtocol: 'example.com/x' },
    ]);
  });

  test('a headless service without ports lists its pods without ports (TestSyncEndpointsHeadlessWithoutPort)', () => {
    const subsets = desiredSubsets(svc({ selector: { app: 'x' }, clusterIP: 'None' }), [pod('a')]);
    expect(subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '1.2.3.4' })] }]);
  });

  test('a service with a cluster IP and no ports gets no addresses', () => {
    expect(
      desiredSubsets(svc({ selector: { app: 'x' }, clusterIP: '10.96.0.5' }), [pod('a')]),
    ).toEqual([]);
  });
});

describe('podToEndpointAddressForService (TestPodToEndpointAddressForService)', () => {
  test.each([
    ['v4 service, dual-stack pod', { ipFamilies: ['IPv4'] }, ['1.1.1.1', '2000::1'], '1.1.1.1'],
    ['v6 service, dual-stack pod', { ipFamilies: ['IPv6'] }, ['1.1.1.1', '2000::1'], '2000::1'],
    ['no families, v6 cluster IP', { clusterIP: '3000::1' }, ['1.1.1.1', '2000::1'], '2000::1'],
    ['no families, v4 cluster IP', { clusterIP: '10.0.0.1' }, ['2000::1', '1.1.1.1'], '1.1.1.1'],
    [
      'headless without families uses the pod IP family',
      { clusterIP: 'None' },
      ['2000::1'],
      '2000::1',
    ],
    ['v6 service, v4-only pod: no address', { ipFamilies: ['IPv6'] }, ['1.1.1.1'], undefined],
  ])('%s', (_name, spec, ips, want) => {
    const address = podToEndpointAddress(svc(spec as Service['spec']), pod('p', { ips }));
    expect(address?.ip).toBe(want);
  });

  test('the address names its node and pod, and the hostname only for the matching subdomain', () => {
    const service = svc({ selector: { app: 'x' } }, 'sub');
    expect(podToEndpointAddress(service, pod('p', { hostname: 'h', subdomain: 'sub' }))).toEqual({
      ip: '1.2.3.4',
      nodeName: 'node-1',
      hostname: 'h',
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'uid-p' },
    });
    expect(
      podToEndpointAddress(service, pod('p', { hostname: 'h', subdomain: 'other' }))?.hostname,
    ).toBeUndefined();
  });
});

describe('RepackSubsets', () => {
  const a = (ip: string, uid?: string) => ({
    ip,
    targetRef: uid ? { kind: 'Pod', uid } : undefined,
  });
  const p = (port: number, name?: string) => ({ port, protocol: 'TCP', ...(name ? { name } : {}) });

  test.each<[string, EndpointSubset[], EndpointSubset[]]>([
    ['empty stays empty', [], []],
    [
      'addresses sharing ports are merged and sorted by IP',
      [
        { addresses: [a('2.2.2.2')], ports: [p(80)] },
        { addresses: [a('1.1.1.1')], ports: [p(80)] },
      ],
      [{ addresses: [a('1.1.1.1'), a('2.2.2.2')], ports: [p(80)] }],
    ],
    [
      'duplicates are removed',
      [{ addresses: [a('1.1.1.1'), a('1.1.1.1')], ports: [p(80)] }],
      [{ addresses: [a('1.1.1.1')], ports: [p(80)] }],
    ],
    [
      'the same IP with different pods is kept twice, ordered by uid',
      [{ addresses: [a('1.1.1.1', 'b'), a('1.1.1.1', 'a')], ports: [p(80)] }],
      [{ addresses: [a('1.1.1.1', 'a'), a('1.1.1.1', 'b')], ports: [p(80)] }],
    ],
    [
      'not ready trumps ready on the same port',
      [
        { addresses: [a('1.1.1.1')], ports: [p(80)] },
        { notReadyAddresses: [a('1.1.1.1')], ports: [p(80)] },
      ],
      [{ notReadyAddresses: [a('1.1.1.1')], ports: [p(80)] }],
    ],
    [
      'ports with the same addresses share one subset',
      [
        { addresses: [a('1.1.1.1')], ports: [p(80, 'http')] },
        { addresses: [a('1.1.1.1')], ports: [p(443, 'https')] },
      ],
      [{ addresses: [a('1.1.1.1')], ports: [p(80, 'http'), p(443, 'https')] }],
    ],
  ])('%s', (_name, input, want) => {
    expect(JSON.parse(JSON.stringify(repackSubsets(input)))).toEqual(
      JSON.parse(JSON.stringify(want)),
    );
  });

  test('the result does not depend on the input order', () => {
    const s1 = [
      { addresses: [a('1.1.1.1')], ports: [p(80)] },
      { addresses: [a('2.2.2.2')], ports: [p(81)] },
      { notReadyAddresses: [a('3.3.3.3')], ports: [p(80)] },
    ];
    expect(repackSubsets([...s1].reverse())).toEqual(repackSubsets(s1));
  });
});

describe('truncateEndpoints (1000-address cap)', () => {
  const addrs = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 256)}.${i % 256}` }));
  const sizes = (subsets: EndpointSubset[] | undefined) =>
    subsets?.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]);

  test.each<[string, EndpointSubset[], number[][] | undefined]>([
    ['exactly 1000 ready: not truncated', [{ addresses: addrs(1000, '10.0') }], undefined],
    ['1001 ready: 1000 kept', [{ addresses: addrs(1001, '10.0') }], [[1000, 0]]],
    [
      'ready first: 600 ready + 600 not ready keeps 600 + 400',
      [{ addresses: addrs(600, '10.0'), notReadyAddresses: addrs(600, '10.1') }],
      [[600, 400]],
    ],
    [
      'ready spread proportionally (ceil), not ready dropped',
      [
        { addresses: addrs(800, '10.0'), notReadyAddresses: addrs(10, '10.2') },
        { addresses: addrs(400, '10.1') },
      ],
      [
        [667, 0],
        [333, 0],
      ],
    ],
    [
      'not ready spread proportionally across subsets',
      [
        { addresses: addrs(500, '10.0'), notReadyAddresses: addrs(300, '10.1') },
        { notReadyAddresses: addrs(400, '10.2') },
      ],
      [
        [500, 215],
        [0, 285],
      ],
    ],
  ])('%s', (_name, input, want) => {
    expect(sizes(truncateSubsets(input))).toEqual(want);
  });
});

describe('the Endpoints object written (labels, annotations, no-op rule)', () => {
  const service = svc({ selector: { app: 'x' }, clusterIP: '10.96.0.1', ports: [tcp80] });
  const many = Array.from({ length: 1001 }, (_, i) =>
    pod(`p${i}`, { ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }),
  );

  test('above 1000 addresses the subsets are truncated and annotated over-capacity', () => {
    const ep = desiredEndpoints({
      service,
      subsets: desiredSubsets(service, many),
      current: undefined,
      triggerTime: undefined,
    });
    expect(ep!.subsets![0]!.addresses).toHaveLength(1000);
    expect(ep!.metadata?.annotations).toEqual({
      'endpoints.kubernetes.io/over-capacity': 'truncated',
    });
  });

  test('the annotation goes once the count is back under the cap', () => {
    const stored = desiredEndpoints({
      service,
      subsets: desiredSubsets(service, many),
      current: undefined,
      triggerTime: undefined,
    })!;
    const fewer = desiredEndpoints({
      service,
      subsets: desiredSubsets(service, many.slice(0, 10)),
      current: stored,
      triggerTime: undefined,
    });
    expect(fewer!.metadata?.annotations).toEqual({});
    expect(fewer!.subsets![0]!.addresses).toHaveLength(10);
  });

  test('nothing is written when subsets and labels are unchanged, even with a new trigger time', () => {
    const subsets = desiredSubsets(service, many.slice(0, 3));
    const stored = desiredEndpoints({
      service,
      subsets,
      current: undefined,
      triggerTime: Date.UTC(2026, 0, 1),
    })!;
    expect(stored.metadata?.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z',
    });
    expect(
      desiredEndpoints({ service, subsets, current: stored, triggerTime: Date.UTC(2026, 0, 2) }),
    ).toBeUndefined();
  });

  test('labels follow the Service, plus the headless label without a cluster IP', () => {
    const headless = svc({ selector: { app: 'x' }, clusterIP: 'None', ports: [tcp80] });
    headless.metadata!.labels = { team: 'a' };
    const ep = desiredEndpoints({
      service: headless,
      subsets: [],
      current: undefined,
      triggerTime: undefined,
    });
    expect(ep!.metadata?.labels).toEqual({ team: 'a', 'service.kubernetes.io/headless': '' });
    expect(ep!.metadata?.name).toBe('foo');
  });
});
