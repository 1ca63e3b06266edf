import { ingressClasses, ingresses } from './ingresses.js';
import { networkPolicies } from './networkpolicies.js';
import { create, row, update } from '../testing/harness.js';

const backend = { service: { name: 'web', port: { number: 80 } } };

describe('ingresses', () => {
  const ing = (spec: Record<string, unknown>) => ({ metadata: { name: 'i' }, spec });

  test('a rule with a Prefix path is valid and status starts empty', () => {
    const { obj, errors } = create(
      ingresses,
      ing({
        rules: [
          { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } },
        ],
      }),
    );
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  test.each([
    [
      'a backend or rules are required',
      ing({}),
      'spec.rules: Invalid value: []: either `defaultBackend` or `rules` must be specified',
    ],
    [
      'pathType is required',
      ing({ rules: [{ http: { paths: [{ path: '/', backend }] } }] }),
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    ],
    [
      'paths are absolute',
      ing({ rules: [{ http: { paths: [{ path: 'x', pathType: 'Exact', backend }] } }] }),
      'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
    ],
    [
      'hosts are DNS names, not IPs',
      ing({
        rules: [{ host: '1.2.3.4', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
      }),
      'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
    ],
    [
      'a service port needs a name or number',
      ing({ defaultBackend: { service: { name: 'web', port: {} } } }),
      'spec.defaultBackend.service.port: Required value: port name or number is required',
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(ingresses, input).errors).toContain(message);
  });

  test('wildcard hosts are allowed', () => {
    expect(
      create(
        ingresses,
        ing({
          rules: [
            {
              host: '*.example.com',
              http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
            },
          ],
        }),
      ).errors,
    ).toEqual([]);
  });

  test('the table shows CLASS HOSTS ADDRESS PORTS', () => {
    const obj = {
      metadata: { name: 'i', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }],
        tls: [{ hosts: ['a'] }],
      },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb' }] } },
    };
    expect(row(ingresses, obj)).toEqual({
      Name: 'i',
      Class: 'nginx',
      Hosts: 'a,b,c + 1 more...',
      Address: '1.2.3.4,lb',
      Ports: '80, 443',
      Age: '60m',
    });
    expect(row(ingresses, { metadata: { name: 'i' }, spec: { rules: [{}] } })).toMatchObject({
      Class: '<none>',
      Hosts: '*',
      Ports: '80',
    });
  });
});

describe('ingressclasses', () => {
  test('the controller is a domain-prefixed path and immutable', () => {
    expect(
      create(ingressClasses, { metadata: { name: 'c' }, spec: { controller: 'nginx' } }).errors,
    ).toEqual([
      'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    const { obj: old, errors } = create(ingressClasses, {
      metadata: { name: 'c' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    expect(errors).toEqual([]);
    expect(
      update(ingressClasses, { ...old, spec: { controller: 'example.com/other' } }, old).errors,
    ).toEqual(['spec.controller: Invalid value: "example.com/other": field is immutable']);
    expect(
      row(ingressClasses, {
        metadata: { name: 'c' },
        spec: {
          controller: 'k8s.io/x',
          parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' },
        },
      }),
    ).toMatchObject({ Controller: 'k8s.io/x', Parameters: 'Params.k8s.example.com/p' });
  });
});

describe('networkpolicies', () => {
  test('policyTypes default to Ingress, plus Egress with egress rules; ports default to TCP', () => {
    const a = create(networkPolicies, { metadata: { name: 'n' }, spec: { podSelector: {} } });
    expect(a.errors).toEqual([]);
    expect((a.obj.spec as any).policyTypes).toEqual(['Ingress']);
    const b = create(networkPolicies, {
      metadata: { name: 'n' },
      spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] },
    });
    expect((b.obj.spec as any).policyTypes).toEqual(['Ingress', 'Egress']);
    expect((b.obj.spec as any).egress[0].ports[0].protocol).toBe('TCP');
  });

  test.each([
    [
      'a peer needs a selector or ipBlock',
      { podSelector: {}, ingress: [{ from: [{}] }] },
      'spec.ingress[0].from[0]: Required value: must specify a peer',
    ],
    [
      'ipBlock excludes other peers',
      {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }],
      },
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ],
    [
      'cidrs are validated',
      { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0' } }] }] },
      'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'endPort ≥ port',
      { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 70 }] }] },
      'spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`',
    ],
  ])('%s', (_rule, spec, message) => {
    expect(create(networkPolicies, { metadata: { name: 'n' }, spec }).errors).toContain(message);
  });

  test('the table shows the pod selector', () => {
    expect(
      row(networkPolicies, {
        metadata: { name: 'n' },
        spec: { podSelector: { matchLabels: { app: 'db' } } },
      })['Pod-Selector'],
    ).toBe('app=db');
    expect(
      row(networkPolicies, { metadata: { name: 'n' }, spec: { podSelector: {} } })['Pod-Selector'],
    ).toBe('<none>');
  });
});
