import type { EndpointSlice, Endpoints } from '../../framework/index.js';
import { addressToEndpoint, planMirroring, shouldMirror } from './mirroringplan.js';

function endpoints(
  subsets: Endpoints['subsets'],
  meta: Partial<NonNullable<Endpoints['metadata']>> = {},
): Endpoints {
  return { metadata: { name: 'ext', namespace: 'ns', uid: 'ep-uid', ...meta }, subsets };
}

const ips = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }));

describe('mirroring plan (upstream endpointslicemirroring reconciler_test.go)', () => {
  test.each([
    ['plain Endpoints are mirrored', {}, true],
    [
      'skip-mirror "true" is not',
      { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      false,
    ],
    [
      'skip-mirror "false" is',
      { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'false' } },
      true,
    ],
    [
      'a leader-election record is not',
      { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } },
      false,
    ],
  ])('%s', (_n, meta, want) => {
    expect(shouldMirror(endpoints([], meta))).toBe(want);
  });

  test('no subsets: nothing to create', () => {
    expect(planMirroring(endpoints([]), [], 1000).create).toEqual([]);
  });

  test('IPv4 and IPv6 addresses of one subset go into one slice per address type', () => {
    const plan = planMirroring(
      endpoints([
        { addresses: [{ ip: '10.0.0.1' }, { ip: '2001:db8::1' }], ports: [{ port: 80 }] },
      ]),
      [],
      1000,
    );
    expect(
      plan.create.map((s) => [s.addressType, s.endpoints?.map((e) => e.addresses[0])]).sort(),
    ).toEqual([
      ['IPv4', ['10.0.0.1']],
      ['IPv6', ['2001:db8::1']],
    ]);
  });

  test('at most maxEndpointsPerSubset addresses of a subset are mirrored; the rest are counted as skipped', () => {
    const plan = planMirroring(
      endpoints([{ addresses: ips(1001), ports: [{ port: 80 }] }]),
      [],
      1000,
    );
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]!.endpoints).toHaveLength(1000);
    expect(plan.skippedAddresses).toBe(1);
    expect(plan.invalidAddresses).toBe(0);
  });

  test('invalid IPs are skipped and counted', () => {
    const plan = planMirroring(
      endpoints([{ addresses: [{ ip: 'not-an-ip' }, { ip: '10.0.0.1' }], ports: [{ port: 80 }] }]),
      [],
      1000,
    );
    expect(plan.create[0]!.endpoints).toHaveLength(1);
    expect(plan.invalidAddresses).toBe(1);
    expect(plan.skippedAddresses).toBe(1);
  });

  test('an up-to-date mirrored slice is left alone; extra slices for the same key are deleted', () => {
    const ep = endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]);
    const first = planMirroring(ep, [], 1000).create[0]!;
    const stored = (name: string): EndpointSlice => ({
      ...first,
      metadata: { ...first.metadata, name, uid: name },
    });
    const plan = planMirroring(ep, [stored('a'), stored('b')], 1000);
    expect(plan.create).toEqual([]);
    expect(plan.update).toEqual([]);
    expect(plan.delete.map((s) => s.metadata?.name)).toEqual(['b']);
  });

  test('a changed address updates the existing slice by name', () => {
    const ep = endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]);
    const first = planMirroring(ep, [], 1000).create[0]!;
    const stored: EndpointSlice = {
      ...first,
      metadata: { ...first.metadata, name: 'a', uid: 'a' },
    };
    const plan = planMirroring(
      endpoints([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]),
      [stored],
      1000,
    );
    expect(plan.update.map((s) => [s.metadata?.name, s.endpoints?.[0]?.conditions])).toEqual([
      ['a', { ready: false }],
    ]);
  });

  test('addresses keep their target, node and hostname; IPv4 is canonicalised', () => {
    expect(
      addressToEndpoint(
        {
          ip: '010.000.000.001',
          nodeName: 'n',
          hostname: 'h',
          targetRef: { kind: 'Pod', name: 'p' },
        },
        true,
      ),
    ).toEqual({
      addressType: 'IPv4',
      endpoint: {
        addresses: ['10.0.0.1'],
        conditions: { ready: true },
        nodeName: 'n',
        hostname: 'h',
        targetRef: { kind: 'Pod', name: 'p' },
      },
    });
  });

  test('labels and annotations are copied except the trigger time and last-applied configuration', () => {
    const plan = planMirroring(
      endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }], {
        labels: { a: '1' },
        annotations: {
          b: '2',
          'endpoints.kubernetes.io/last-change-trigger-time': 'x',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
      }),
      [],
      1000,
    );
    expect(plan.create[0]!.metadata?.labels).toEqual({
      a: '1',
      'kubernetes.io/service-name': 'ext',
      'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
    });
    expect(plan.create[0]!.metadata?.annotations).toEqual({ b: '2' });
  });
});
