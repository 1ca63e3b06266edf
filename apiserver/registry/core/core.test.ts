import { namespaces } from './namespaces.js';
import { configMaps, secrets } from './configmaps.js';
import { services } from './services.js';
import { nodes } from './nodes.js';
import { create, row, update, updateStatus } from '../testing/harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('namespaces (pkg/registry/core/namespace/strategy.go)', () => {
  test('create sets phase Active, the kubernetes finalizer and the metadata.name label', () => {
    const { obj, errors } = create(namespaces, { metadata: { name: 'team-a' } });
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({ phase: 'Active' });
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(obj.metadata!.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
  });

  test.each([
    [
      'names are DNS labels (no dots)',
      { metadata: { name: 'a.b' } },
      /^metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label/,
    ],
    [
      'finalizers must be standard or qualified',
      { metadata: { name: 'a' }, spec: { finalizers: ['custom'] } },
      /^spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified$/,
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(namespaces, input).errors[0]).toMatch(message);
  });

  test('a plain update keeps spec.finalizers (they change only through /finalize)', () => {
    const { obj: old } = create(namespaces, { metadata: { name: 'a' } });
    const { obj } = update(namespaces, { ...old, spec: { finalizers: [] } }, old);
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  test('status.phase Terminating needs a deletionTimestamp', () => {
    const { obj: old } = create(namespaces, { metadata: { name: 'a' } });
    const { errors } = updateStatus(namespaces, { ...old, status: { phase: 'Terminating' } }, old);
    expect(errors).toEqual([
      'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
    ]);
  });

  test('namespaces are served without deletecollection, as upstream', () => {
    expect(namespaces.verbs).toEqual([
      'create',
      'delete',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ]);
  });

  test('only metadata.name and status.phase are selectable', () => {
    expect(
      Object.keys(
        namespaces.fieldLabels!({ metadata: { name: 'a' }, status: { phase: 'Active' } }),
      ),
    ).toEqual(['metadata.name', 'status.phase']);
  });

  test('the table is NAME STATUS AGE', () => {
    expect(
      row(namespaces, {
        metadata: { name: 'a', creationTimestamp: '2024-01-01T00:00:00Z' },
        status: { phase: 'Active' },
      }),
    ).toEqual({ Name: 'a', Status: 'Active', Age: '60m' });
  });
});

describe('configmaps and secrets (ValidateConfigMap, ValidateSecret)', () => {
  test('a secret over 1 MiB of decoded data is rejected with the upstream message', () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a').toString('base64');
    expect(create(secrets, { metadata: { name: 's' }, data: { big } }).errors).toEqual([
      'data: Too long: may not be more than 1048576 bytes',
    ]);
  });

  test('exactly 1 MiB is accepted', () => {
    const max = Buffer.alloc(1024 * 1024, 'a').toString('base64');
    expect(create(secrets, { metadata: { name: 's' }, data: { max } }).errors).toEqual([]);
  });

  test('stringData is merged into data and the type defaults to Opaque', () => {
    const { obj } = create(secrets, {
      metadata: { name: 's' },
      data: { a: b64('1') },
      stringData: { a: '2', b: '3' },
    });
    expect(obj.data).toEqual({ a: b64('2'), b: b64('3') });
    expect(obj.stringData).toBeUndefined();
    expect(obj.type).toBe('Opaque');
  });

  test.each([
    ['kubernetes.io/tls', {}, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['kubernetes.io/dockerconfigjson', {}, ['data[.dockerconfigjson]: Required value']],
    [
      'kubernetes.io/basic-auth',
      {},
      ['data[username]: Required value', 'data[password]: Required value'],
    ],
    [
      'kubernetes.io/service-account-token',
      {},
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
    ['kubernetes.io/ssh-auth', { 'ssh-privatekey': b64('k') }, []],
  ])('secret type %s requires its keys', (type, data, errors) => {
    expect(create(secrets, { metadata: { name: 's' }, type, data }).errors).toEqual(errors);
  });

  test('the secret type is immutable', () => {
    const { obj: old } = create(secrets, { metadata: { name: 's' } });
    expect(update(secrets, { ...old, type: 'foo/bar' }, old).errors).toEqual([
      'type: Invalid value: "foo/bar": field is immutable',
    ]);
  });

  test('immutable configmaps cannot change data', () => {
    const { obj: old } = create(configMaps, {
      metadata: { name: 'c' },
      data: { a: '1' },
      immutable: true,
    });
    expect(update(configMaps, { ...old, data: { a: '2' } }, old).errors).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  test('configmap keys must be valid and not duplicated in binaryData', () => {
    const { errors } = create(configMaps, {
      metadata: { name: 'c' },
      data: { 'a b': '1', k: 'v' },
      binaryData: { k: b64('x') },
    });
    expect(errors).toEqual([
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
    ]);
  });

  test('secrets are selectable by type; tables count data entries', () => {
    const s = {
      metadata: { name: 's', namespace: 'd', creationTimestamp: '2024-01-01T00:00:00Z' },
      type: 'Opaque',
      data: { a: 'YQ==', b: 'Yg==' },
    };
    expect(secrets.fieldLabels!(s)).toEqual({
      'metadata.name': 's',
      'metadata.namespace': 'd',
      type: 'Opaque',
    });
    expect(row(secrets, s)).toEqual({ Name: 's', Type: 'Opaque', Data: 2, Age: '60m' });
    expect(
      row(configMaps, {
        metadata: { name: 'c', creationTimestamp: '2024-01-01T00:00:00Z' },
        data: { a: '1' },
        binaryData: { b: 'Yg==' },
      }),
    ).toEqual({ Name: 'c', Data: 2, Age: '60m' });
  });
});

describe('services (SetDefaults_Service, ValidateService)', () => {
  const svc = (spec: Record<string, unknown>) => ({ metadata: { name: 'web' }, spec });

  test('defaults: ClusterIP, None affinity, TCP and targetPort = port, internalTrafficPolicy Cluster', () => {
    const { obj, errors } = create(
      services,
      svc({ ports: [{ port: 80 }], selector: { app: 'web' } }),
    );
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  test('NodePort services default externalTrafficPolicy to Cluster; LoadBalancer allocates node ports', () => {
    expect(
      create(services, svc({ type: 'NodePort', ports: [{ port: 80 }] })).obj.spec,
    ).toMatchObject({ externalTrafficPolicy: 'Cluster' });
    expect(
      create(services, svc({ type: 'LoadBalancer', ports: [{ port: 80 }] })).obj.spec,
    ).toMatchObject({ allocateLoadBalancerNodePorts: true });
  });

  test.each([
    [
      'service names are DNS-1035 labels',
      { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } },
      /^metadata.name: Invalid value: "1web": a DNS-1035 label must consist of/,
    ],
    ['ports are required', svc({}), /^spec.ports: Required value$/],
    [
      'multiple ports need names',
      svc({ ports: [{ port: 80 }, { port: 81 }] }),
      /^spec.ports\[0\].name: Required value$/,
    ],
    [
      'nodePort is forbidden for ClusterIP',
      svc({ ports: [{ port: 80, nodePort: 30000 }] }),
      /^spec.ports\[0\].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'$/,
    ],
    [
      'the type is an enum',
      svc({ type: 'Magic', ports: [{ port: 80 }] }),
      /^spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"$/,
    ],
    [
      'ExternalName needs externalName',
      svc({ type: 'ExternalName' }),
      /^spec.externalName: Required value$/,
    ],
    [
      'port numbers are valid',
      svc({ ports: [{ port: 0 }] }),
      /^spec.ports\[0\].port: Invalid value: 0: must be between 1 and 65535, inclusive$/,
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(services, input).errors[0]).toMatch(message);
  });

  test('headless services need no ports', () => {
    expect(create(services, svc({ clusterIP: 'None' })).errors).toEqual([]);
  });

  test('the cluster IP may not change once set; an omitted one is kept', () => {
    const { obj: old } = create(services, svc({ ports: [{ port: 80 }], clusterIP: '10.0.0.10' }));
    const changed = structuredClone(old);
    (changed.spec as any).clusterIP = '10.0.0.11';
    expect(update(services, changed, old).errors).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.11": may not change once set',
    ]);
    const omitted = structuredClone(old);
    delete (omitted.spec as any).clusterIP;
    const r = update(services, omitted, old);
    expect(r.errors).toEqual([]);
    expect((r.obj.spec as any).clusterIP).toBe('10.0.0.10');
  });

  test('services are stored under services/specs and selectable by clusterIP and type', () => {
    expect(services.storagePrefix).toBe('services/specs');
    expect(
      services.fieldLabels!({
        metadata: { name: 'a', namespace: 'd' },
        spec: { clusterIP: '10.0.0.1', type: 'ClusterIP' },
      }),
    ).toEqual({
      'metadata.name': 'a',
      'metadata.namespace': 'd',
      'spec.clusterIP': '10.0.0.1',
      'spec.type': 'ClusterIP',
    });
  });

  test.each([
    [
      'ClusterIP',
      {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: [{ port: 80, protocol: 'TCP' }],
        selector: { app: 'web' },
      },
      {},
      ['10.0.0.1', '<none>', '80/TCP', 'app=web'],
    ],
    [
      'NodePort',
      {
        type: 'NodePort',
        clusterIP: '10.0.0.2',
        ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }],
      },
      {},
      ['10.0.0.2', '<none>', '443:30443/TCP', '<none>'],
    ],
    [
      'pending LoadBalancer',
      {
        type: 'LoadBalancer',
        clusterIP: '10.0.0.3',
        ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
      },
      {},
      ['10.0.0.3', '<pending>', '80:30080/TCP', '<none>'],
    ],
    [
      'LoadBalancer with ingress',
      { type: 'LoadBalancer', clusterIP: '10.0.0.4', ports: [] },
      { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example.com' }] } },
      ['10.0.0.4', '1.2.3.4,lb.example.com', '<none>', '<none>'],
    ],
    [
      'ExternalName',
      { type: 'ExternalName', externalName: 'db.example.com' },
      {},
      ['<none>', 'db.example.com', '<none>', '<none>'],
    ],
  ])('table of a %s service', (_t, spec, status, [ip, ext, ports, sel]) => {
    const r = row(services, {
      metadata: { name: 's', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec,
      status,
    });
    expect([r['Cluster-IP'], r['External-IP'], r['Port(s)'], r.Selector]).toEqual([
      ip,
      ext,
      ports,
      sel,
    ]);
  });
});

describe('nodes (pkg/registry/core/node/strategy.go, ValidateNode)', () => {
  test('status may be set on create and allocatable defaults to capacity', () => {
    const { obj, errors } = create(nodes, {
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '4' } },
    });
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({ capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
  });

  test('taints need an effect and are unique by key and effect', () => {
    const { errors } = create(nodes, {
      metadata: { name: 'n' },
      spec: {
        taints: [
          { key: 'a' },
          { key: 'b', effect: 'NoSchedule' },
          { key: 'b', effect: 'NoSchedule' },
        ],
      },
    });
    expect(errors[0]).toBe('spec.taints[0].effect: Required value');
    expect(errors[1]).toMatch(
      /^spec.taints\[2\]: Invalid value: .*: taints must be unique by key and effect pair$/,
    );
  });

  test('podCIDRs change only from unset', () => {
    const { obj: old } = create(nodes, {
      metadata: { name: 'n' },
      spec: { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24'] },
    });
    const next = { ...old, spec: { podCIDR: '10.0.1.0/24', podCIDRs: ['10.0.1.0/24'] } };
    expect(update(nodes, next, old).errors).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    ]);
  });

  test('a main-resource update keeps the stored status', () => {
    const { obj: old } = create(nodes, { metadata: { name: 'n' }, status: { phase: 'Running' } });
    expect(update(nodes, { ...old, status: { phase: 'Pending' } }, old).obj.status).toEqual({
      phase: 'Running',
    });
  });

  test('nodes are stored as minions and selectable by spec.unschedulable', () => {
    expect(nodes.storagePrefix).toBe('minions');
    expect(nodes.fieldLabels!({ metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({
      'metadata.name': 'n',
      'spec.unschedulable': 'true',
    });
  });

  test.each([
    ['a ready node', [{ type: 'Ready', status: 'True' }], false, 'Ready'],
    ['a not-ready node', [{ type: 'Ready', status: 'False' }], false, 'NotReady'],
    ['a node without conditions', [], false, 'Unknown'],
    [
      'a cordoned ready node',
      [{ type: 'Ready', status: 'True' }],
      true,
      'Ready,SchedulingDisabled',
    ],
  ])('STATUS of %s', (_c, conditions, unschedulable, status) => {
    expect(
      row(nodes, { metadata: { name: 'n' }, spec: { unschedulable }, status: { conditions } })
        .Status,
    ).toBe(status);
  });

  test('ROLES come from node-role labels; VERSION and wide columns from status', () => {
    const r = row(nodes, {
      metadata: {
        name: 'n',
        creationTimestamp: '2024-01-01T00:00:00Z',
        labels: {
          'node-role.kubernetes.io/control-plane': '',
          'node-role.kubernetes.io/worker': '',
        },
      },
      status: {
        nodeInfo: { kubeletVersion: 'v1.33.0', osImage: 'Debian' },
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    });
    expect(r).toMatchObject({
      Roles: 'control-plane,worker',
      Version: 'v1.33.0',
      'Internal-IP': '10.0.0.1',
      'External-IP': '<none>',
      'OS-Image': 'Debian',
      'Kernel-Version': '<unknown>',
    });
  });
});
