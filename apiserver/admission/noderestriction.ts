/**
 * The NodeRestriction admission plugin (upstream `plugin/pkg/admission/noderestriction`): a
 * kubelet — a user `system:node:<name>` in the group `system:nodes`, as authentication sets it in
 * `attrs.user` — may only touch its own Node and the pods bound to it. Other users pass.
 *
 * - nodes: only its own (create, update, status, delete); it may not change its taints, set or
 *   change `kubernetes.io`/`k8s.io` labels other than the kubelet's own (hostname, os, arch,
 *   instance type, zone/region, `kubelet.kubernetes.io/*`, `node.kubernetes.io/*`), nor any
 *   `node-restriction.kubernetes.io/*` label.
 * - pods: create only mirror pods bound to itself (owned by its Node, referencing no service
 *   account, secret, configmap or claim); delete, evict and update the status of pods bound to
 *   itself only, without touching their labels; nothing else.
 * - leases: only its own heartbeat lease in `kube-node-lease`.
 * - persistentvolumeclaims: only `status.capacity` and `status.conditions`.
 * - serviceaccounts/token: only tokens bound to a pod on itself.
 * Refusals are 403 with upstream's messages.
 */
import type { KubeObject } from '../registry/types.js';
import { deepEqual } from '../registry/validation/field.js';
import * as defaults from './defaults.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionLookup } from './lookup.js';
import { podConfigMapNames, podSecretNames } from './podrefs.js';
import type { AdmissionAttributes, AdmissionPlugin, UserInfo } from './types.js';

type Obj = Record<string, unknown>;

const nodeUserPrefix = 'system:node:';

/** Upstream `NodeIdentity`: the node name of a kubelet user, or undefined for anyone else. */
export function nodeIdentity(user: UserInfo | undefined): string | undefined {
  if (!user || !user.username.startsWith(nodeUserPrefix)) return undefined;
  if (!user.groups.includes('system:nodes')) return undefined;
  return user.username.slice(nodeUserPrefix.length);
}

const kubeletLabels = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.kubernetes.io/zone',
  'failure-domain.kubernetes.io/region',
  'kubernetes.io/instance-type',
]);

const labelNamespace = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const within = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

/** Upstream `getForbiddenLabels`, sorted. */
export function forbiddenNodeLabels(modified: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const key of modified) {
    const ns = labelNamespace(key);
    if (within(ns, 'node-restriction.kubernetes.io')) out.add(key);
    const kubernetesLabel = within(ns, 'kubernetes.io') || within(ns, 'k8s.io');
    const kubeletLabel =
      kubeletLabels.has(key) ||
      within(ns, 'kubelet.kubernetes.io') ||
      within(ns, 'node.kubernetes.io');
    if (kubernetesLabel && !kubeletLabel) out.add(key);
  }
  return [...out].sort();
}

function modifiedLabels(a: Record<string, string> = {}, b: Record<string, string> = {}) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]);
}

export function nodeRestriction(opts: { lookup: AdmissionLookup }): AdmissionPlugin {
  const pods = { group: '', resource: 'pods' };

  async function podOnNode(attrs: AdmissionAttributes, name: string): Promise<KubeObject> {
    const pod = await opts.lookup.get(pods, attrs.namespace, name);
    if (!pod) {
      throw admissionForbidden(attrs, `pods "${name}" not found`);
    }
    return pod;
  }
  const nodeNameOf = (pod: KubeObject | undefined) =>
    String((pod?.spec as Obj | undefined)?.nodeName ?? '');

  async function admitPod(node: string, attrs: AdmissionAttributes): Promise<void> {
    const forbid = (why: string) => admissionForbidden(attrs, why);
    switch (attrs.subresource) {
      case '':
        if (attrs.operation === 'CREATE') return admitMirrorPod(node, attrs);
        if (attrs.operation === 'DELETE') {
          if (nodeNameOf(attrs.oldObject) !== node) {
            throw forbid(`node "${node}" can only delete pods with spec.nodeName set to itself`);
          }
          return;
        }
        throw forbid(
          `unexpected operation "${attrs.operation}", node "${node}" can only create and delete mirror pods`,
        );
      case 'status': {
        if (attrs.operation !== 'UPDATE') {
          throw forbid(`unexpected operation "${attrs.operation}"`);
        }
        if (nodeNameOf(attrs.oldObject) !== node) {
          throw forbid(
            `node "${node}" can only update pod status for pods with spec.nodeName set to itself`,
          );
        }
        const before = attrs.oldObject?.metadata?.labels ?? {};
        const after = attrs.object?.metadata?.labels ?? {};
        if (modifiedLabels(before, after).length > 0) {
          throw forbid(`node "${node}" cannot update labels through pod status`);
        }
        return;
      }
      case 'eviction': {
        if (attrs.operation !== 'CREATE') throw forbid(`unexpected operation ${attrs.operation}`);
        const name = attrs.name || attrs.object?.metadata?.name;
        if (!name) throw forbid('could not determine pod from request data');
        if (nodeNameOf(await podOnNode(attrs, name)) !== node) {
          throw forbid(`node ${node} can only evict pods with spec.nodeName set to itself`);
        }
        return;
      }
      default:
        throw forbid(
          `unexpected pod subresource "${attrs.subresource}", only 'status' and 'eviction' are allowed`,
        );
    }
  }

  async function admitMirrorPod(node: string, attrs: AdmissionAttributes): Promise<void> {
    const forbid = (why: string) => admissionForbidden(attrs, why);
    const pod = attrs.object ?? {};
    const spec = (pod.spec ?? {}) as Obj;
    if (pod.metadata?.annotations?.[defaults.mirrorPodAnnotation] === undefined) {
      throw forbid(
        `pod does not have "${defaults.mirrorPodAnnotation}" annotation, node "${node}" can only create mirror pods`,
      );
    }
    if (spec.nodeName !== node) {
      throw forbid(`node "${node}" can only create pods with spec.nodeName set to itself`);
    }
    const owners = pod.metadata?.ownerReferences ?? [];
    if (owners.length > 1) {
      throw forbid(
        `node "${node}" can only create pods with a single owner reference set to itself`,
      );
    }
    const owner = owners[0];
    if (!owner || owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== node) {
      throw forbid(`node "${node}" can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) {
      throw forbid(
        `node "${node}" can only create pods with a controller owner reference set to itself`,
      );
    }
    if (owner.blockOwnerDeletion === true) {
      throw forbid(`node "${node}" must not set blockOwnerDeletion on an owner reference`);
    }
    const nodeObj = await opts.lookup.get({ group: '', resource: 'nodes' }, '', node);
    if (!nodeObj) throw forbid(`nodes "${node}" not found`);
    if (owner.uid !== nodeObj.metadata?.uid) {
      throw forbid(
        `node ${node} UID mismatch: expected ${nodeObj.metadata?.uid ?? ''} got ${owner.uid}`,
      );
    }
    if (spec.serviceAccountName) {
      throw forbid(`node "${node}" can not create pods that reference a service account`);
    }
    if (podSecretNames(spec).length > 0) {
      throw forbid(`node "${node}" can not create pods that reference secrets`);
    }
    if (podConfigMapNames(spec).length > 0) {
      throw forbid(`node "${node}" can not create pods that reference configmaps`);
    }
    for (const v of (spec.volumes as Obj[] | undefined) ?? []) {
      const sources = ((v.projected as Obj | undefined)?.sources as Obj[] | undefined) ?? [];
      if (sources.some((s) => s.clusterTrustBundle)) {
        throw forbid(`node "${node}" can not create pods that reference clustertrustbundles`);
      }
      if (v.persistentVolumeClaim) {
        throw forbid(`node "${node}" can not create pods that reference persistentvolumeclaims`);
      }
    }
  }

  function admitNode(node: string, attrs: AdmissionAttributes): void {
    const forbid = (why: string) => admissionForbidden(attrs, why);
    const requested = attrs.name || attrs.object?.metadata?.name || '';
    if (requested !== node) {
      throw forbid(`node "${node}" is not allowed to modify node "${requested}"`);
    }
    const spec = (attrs.object?.spec ?? {}) as Obj;
    if (attrs.operation === 'CREATE') {
      if (spec.configSource) {
        throw forbid(`node "${node}" is not allowed to create pods with a non-nil configSource`);
      }
      const bad = forbiddenNodeLabels(modifiedLabels(attrs.object?.metadata?.labels));
      if (bad.length) {
        throw forbid(
          `node "${node}" is not allowed to set the following labels: ${bad.join(', ')}`,
        );
      }
    }
    if (attrs.operation === 'UPDATE') {
      const old = (attrs.oldObject?.spec ?? {}) as Obj;
      if (spec.configSource && !deepEqual(spec.configSource, old.configSource)) {
        throw forbid(
          `node "${node}" is not allowed to update configSource to a new non-nil configSource`,
        );
      }
      if (!deepEqual(spec.taints ?? [], old.taints ?? [])) {
        throw forbid(`node "${node}" is not allowed to modify taints`);
      }
      const bad = forbiddenNodeLabels(
        modifiedLabels(attrs.object?.metadata?.labels, attrs.oldObject?.metadata?.labels),
      );
      if (bad.length) throw forbid(`is not allowed to modify labels: ${bad.join(', ')}`);
    }
  }

  function admitLease(node: string, attrs: AdmissionAttributes): void {
    if (attrs.namespace !== defaults.nodeLeaseNamespace) {
      throw admissionForbidden(
        attrs,
        `can only access leases in the "${defaults.nodeLeaseNamespace}" system namespace`,
      );
    }
    const name = attrs.operation === 'CREATE' ? attrs.object?.metadata?.name : attrs.name;
    if (name !== node) {
      throw admissionForbidden(
        attrs,
        'can only access node lease with the same name as the requesting node',
      );
    }
  }

  function admitClaim(node: string, attrs: AdmissionAttributes): void {
    if (attrs.subresource !== 'status')
      throw admissionForbidden(attrs, 'may only update PVC status');
    if (attrs.operation !== 'UPDATE') {
      throw admissionForbidden(attrs, `unexpected operation "${attrs.operation}"`);
    }
    const strip = (o: KubeObject | undefined) => {
      const c = structuredClone(o ?? {}) as KubeObject;
      if (c.metadata) {
        delete c.metadata.resourceVersion;
        delete c.metadata.managedFields;
      }
      const st = (c.status ?? {}) as Obj;
      for (const f of [
        'capacity',
        'conditions',
        'allocatedResources',
        'allocatedResourceStatuses',
      ]) {
        delete st[f];
      }
      return c;
    };
    if (!deepEqual(strip(attrs.oldObject), strip(attrs.object))) {
      throw admissionForbidden(
        attrs,
        `node "${node}" is not allowed to update fields other than status.quantity and status.conditions`,
      );
    }
  }

  async function admitToken(node: string, attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation !== 'CREATE' || attrs.subresource !== 'token') return;
    const ref = (attrs.object?.spec as Obj | undefined)?.boundObjectRef as Obj | undefined;
    if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) {
      throw admissionForbidden(attrs, 'node requested token not bound to a pod');
    }
    if (!ref.uid) {
      throw admissionForbidden(attrs, 'node requested token with a pod binding without a uid');
    }
    const pod = await podOnNode(attrs, String(ref.name));
    if (ref.uid !== pod.metadata?.uid) {
      throw admissionForbidden(
        attrs,
        `the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    if (nodeNameOf(pod) !== node) {
      throw admissionForbidden(
        attrs,
        'node requested token bound to a pod scheduled on a different node',
      );
    }
  }

  return {
    name: 'NodeRestriction',
    async validate(attrs) {
      const user = attrs.user;
      if (!user || !user.username.startsWith(nodeUserPrefix)) return;
      const node = nodeIdentity(user);
      if (node === undefined) return;
      if (node === '') {
        throw admissionForbidden(attrs, `could not determine node from user "${user.username}"`);
      }
      const { group, resource } = attrs.resource;
      if (group === '' && resource === 'pods') return admitPod(node, attrs);
      if (group === '' && resource === 'nodes') return admitNode(node, attrs);
      if (group === '' && resource === 'persistentvolumeclaims') return admitClaim(node, attrs);
      if (group === '' && resource === 'serviceaccounts') return admitToken(node, attrs);
      if (group === 'coordination.k8s.io' && resource === 'leases') return admitLease(node, attrs);
    },
  };
}
