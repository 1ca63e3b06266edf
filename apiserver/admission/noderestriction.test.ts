import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../registry/types.js';
import { forbiddenNodeLabels, nodeIdentity, nodeRestriction } from './noderestriction.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';
import type { AdmissionAttributes } from './types.js';

const kubelet = (node: string) => ({
  username: `system:node:${node}`,
  groups: ['system:nodes', 'system:authenticated'],
});
const node = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  ...extra,
});
const bound = (name: string, nodeName: string) => pod(name, { nodeName });

function check(attrs: AdmissionAttributes, lookup = new FakeLookup()) {
  return nodeRestriction({ lookup }).validate!(attrs);
}

describe('NodeRestriction admission', () => {
  test.each([
    [{ username: 'system:node:n1', groups: ['system:nodes'] }, 'n1'],
    [{ username: 'system:node:n1', groups: ['system:authenticated'] }, undefined],
    [{ username: 'alice', groups: ['system:nodes'] }, undefined],
  ])('nodeIdentity(%j) is %s', (user, expected) => {
    expect(nodeIdentity(user)).toBe(expected);
  });

  test('non-node users are not restricted', async () => {
    const attrs = attrsFor('', 'nodes', 'UPDATE', {
      object: node('n2'),
      oldObject: node('n2'),
      user: { username: 'admin', groups: [] },
    });
    await expect(check(attrs)).resolves.toBeUndefined();
  });

  test.each([
    [
      'update another node',
      attrsFor('', 'nodes', 'UPDATE', {
        object: node('n2'),
        oldObject: node('n2'),
        user: kubelet('n1'),
      }),
      'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    ],
    [
      'change its taints',
      attrsFor('', 'nodes', 'UPDATE', {
        object: node('n1', { spec: { taints: [], unschedulable: false } }),
        oldObject: node('n1', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }),
        user: kubelet('n1'),
      }),
      'node "n1" is not allowed to modify taints',
    ],
    [
      'add a node-restriction label',
      attrsFor('', 'nodes', 'UPDATE', {
        object: {
          ...node('n1'),
          metadata: { name: 'n1', labels: { 'node-restriction.kubernetes.io/secure': 'true' } },
        },
        oldObject: node('n1'),
        user: kubelet('n1'),
      }),
      'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/secure',
    ],
    [
      'register with a foreign kubernetes.io label',
      attrsFor('', 'nodes', 'CREATE', {
        object: {
          ...node('n1'),
          metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        },
        user: kubelet('n1'),
      }),
      'node "n1" is not allowed to set the following labels: node-role.kubernetes.io/control-plane',
    ],
    [
      'create a non-mirror pod',
      attrsFor('', 'pods', 'CREATE', { object: bound('p', 'n1'), user: kubelet('n1') }),
      'pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods',
    ],
    [
      'update a pod spec',
      attrsFor('', 'pods', 'UPDATE', {
        object: bound('p', 'n1'),
        oldObject: bound('p', 'n1'),
        user: kubelet('n1'),
      }),
      'unexpected operation "UPDATE", node "n1" can only create and delete mirror pods',
    ],
    [
      'delete a pod on another node',
      attrsFor('', 'pods', 'DELETE', { oldObject: bound('p', 'n2'), user: kubelet('n1') }),
      'node "n1" can only delete pods with spec.nodeName set to itself',
    ],
    [
      'update the status of a pod on another node',
      attrsFor('', 'pods', 'UPDATE', {
        subresource: 'status',
        object: bound('p', 'n2'),
        oldObject: bound('p', 'n2'),
        user: kubelet('n1'),
      }),
      'node "n1" can only update pod status for pods with spec.nodeName set to itself',
    ],
    [
      'change pod labels through status',
      attrsFor('', 'pods', 'UPDATE', {
        subresource: 'status',
        object: {
          ...bound('p', 'n1'),
          metadata: { name: 'p', namespace: 'default', labels: { a: 'b' } },
        },
        oldObject: bound('p', 'n1'),
        user: kubelet('n1'),
      }),
      'node "n1" cannot update labels through pod status',
    ],
    [
      'bind a pod',
      attrsFor('', 'pods', 'CREATE', {
        subresource: 'binding',
        name: 'p',
        object: { metadata: { name: 'p' } },
        namespace: 'default',
        user: kubelet('n1'),
      }),
      `unexpected pod subresource "binding", only 'status' and 'eviction' are allowed`,
    ],
    [
      'write another node lease',
      attrsFor('coordination.k8s.io', 'leases', 'UPDATE', {
        object: { metadata: { name: 'n2', namespace: 'kube-node-lease' } },
        oldObject: { metadata: { name: 'n2', namespace: 'kube-node-lease' } },
        user: kubelet('n1'),
      }),
      'can only access node lease with the same name as the requesting node',
    ],
    [
      'write a lease elsewhere',
      attrsFor('coordination.k8s.io', 'leases', 'CREATE', {
        object: { metadata: { name: 'n1', namespace: 'default' } },
        user: kubelet('n1'),
      }),
      'can only access leases in the "kube-node-lease" system namespace',
    ],
    [
      'update a claim spec',
      attrsFor('', 'persistentvolumeclaims', 'UPDATE', {
        object: { metadata: { name: 'c', namespace: 'default' } },
        oldObject: { metadata: { name: 'c', namespace: 'default' } },
        user: kubelet('n1'),
      }),
      'may only update PVC status',
    ],
  ])('a node may not %s', async (_c, attrs, message) => {
    const err = await Promise.resolve(check(attrs)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(message);
    expect((err as { code?: number }).code).toBe(403);
  });

  test.each([
    [
      'update itself with its own labels',
      attrsFor('', 'nodes', 'UPDATE', {
        object: {
          ...node('n1'),
          metadata: {
            name: 'n1',
            labels: { 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/instance-type': 'sim' },
          },
        },
        oldObject: node('n1'),
        user: kubelet('n1'),
      }),
    ],
    [
      'update the status of its own pod',
      attrsFor('', 'pods', 'UPDATE', {
        subresource: 'status',
        object: bound('p', 'n1'),
        oldObject: bound('p', 'n1'),
        user: kubelet('n1'),
      }),
    ],
    [
      'delete its own pod',
      attrsFor('', 'pods', 'DELETE', { oldObject: bound('p', 'n1'), user: kubelet('n1') }),
    ],
    [
      'renew its lease',
      attrsFor('coordination.k8s.io', 'leases', 'UPDATE', {
        object: { metadata: { name: 'n1', namespace: 'kube-node-lease' } },
        oldObject: { metadata: { name: 'n1', namespace: 'kube-node-lease' } },
        user: kubelet('n1'),
      }),
    ],
    [
      'update claim capacity',
      attrsFor('', 'persistentvolumeclaims', 'UPDATE', {
        subresource: 'status',
        object: {
          metadata: { name: 'c', namespace: 'default' },
          status: { capacity: { storage: '2Gi' } },
        },
        oldObject: { metadata: { name: 'c', namespace: 'default' }, status: {} },
        user: kubelet('n1'),
      }),
    ],
  ])('a node may %s', async (_c, attrs) => {
    await expect(check(attrs)).resolves.toBeUndefined();
  });

  test('a node may create a mirror pod owned by its Node object', async () => {
    const lookup = new FakeLookup().add('', 'nodes', node('n1'));
    const mirror = bound('static-web', 'n1');
    mirror.metadata!.annotations = { 'kubernetes.io/config.mirror': 'hash' };
    mirror.metadata!.ownerReferences = [
      { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-n1', controller: true },
    ];
    await expect(
      check(attrsFor('', 'pods', 'CREATE', { object: mirror, user: kubelet('n1') }), lookup),
    ).resolves.toBeUndefined();
    mirror.spec = {
      ...(mirror.spec as object),
      volumes: [{ name: 's', secret: { secretName: 'x' } }],
    };
    await expect(
      check(attrsFor('', 'pods', 'CREATE', { object: mirror, user: kubelet('n1') }), lookup),
    ).rejects.toThrow('node "n1" can not create pods that reference secrets');
  });

  test('kubelet labels are allowed and kubernetes.io labels are not', () => {
    expect(
      forbiddenNodeLabels([
        'kubernetes.io/os',
        'kubelet.kubernetes.io/x',
        'example.com/a',
        'k8s.io/b',
        'x.node-restriction.kubernetes.io/c',
      ]),
    ).toEqual(['k8s.io/b', 'x.node-restriction.kubernetes.io/c']);
  });
});
