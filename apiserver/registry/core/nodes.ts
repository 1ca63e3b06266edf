/**
 * core/v1 nodes (pkg/registry/core/node/strategy.go, `ValidateNode`/`ValidateNodeUpdate`): status
 * may be set on create; a main-resource update keeps the stored status; podCIDR and providerID
 * change only from unset; taints are validated; stored under `/registry/minions/` as upstream.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, ageColumn, ageOf, nameColumn, nameOf } from '../printers/columns.js';
import { forbidden, invalid, notSupported, required } from '../validation/field.js';
import { isQualifiedName, isValidCIDR, isValidLabelValue } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { keepAllButStatus } from '../strategy.js';

type Obj = Record<string, unknown>;

const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

/** `validateNodeTaints`. */
export function validateTaints(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (Array.isArray(list) ? (list as Obj[]) : []).forEach((t, i) => {
    const ip = `${path}[${i}]`;
    const key = (t.key as string) ?? '';
    for (const msg of isQualifiedName(key)) errs.push(invalid(`${ip}.key`, key, msg));
    if (t.value)
      for (const msg of isValidLabelValue(t.value as string))
        errs.push(invalid(`${ip}.value`, t.value, msg));
    if (!t.effect) errs.push(required(`${ip}.effect`));
    else if (!taintEffects.includes(t.effect as string))
      errs.push(notSupported(`${ip}.effect`, t.effect, taintEffects));
    const k = `${key}:${t.effect}`;
    if (seen.has(k)) errs.push(invalid(ip, t, 'taints must be unique by key and effect pair'));
    seen.add(k);
  });
  return errs;
}

function validateNodeSpec(obj: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const errs = validateTaints(spec.taints, 'spec.taints');
  const cidrs =
    (spec.podCIDRs as string[] | undefined) ?? (spec.podCIDR ? [spec.podCIDR as string] : []);
  cidrs.forEach((c, i) => {
    for (const msg of isValidCIDR(c)) errs.push(invalid(`spec.podCIDRs[${i}]`, c, msg));
  });
  if (spec.podCIDR && cidrs.length && spec.podCIDR !== cidrs[0]) {
    errs.push(invalid('spec.podCIDRs', cidrs, 'must match the first element of podCIDRs'));
  }
  if (cidrs.length > 2)
    errs.push(
      invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'),
    );
  return errs;
}

function validateNodeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (obj.spec as Obj | undefined) ?? {};
  const oldSpec = (old.spec as Obj | undefined) ?? {};
  const oldCIDRs = JSON.stringify(oldSpec.podCIDRs ?? []);
  if (
    (oldSpec.podCIDRs as unknown[] | undefined)?.length &&
    JSON.stringify(spec.podCIDRs ?? []) !== oldCIDRs
  ) {
    errs.push(
      forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'),
    );
  }
  if (oldSpec.providerID && spec.providerID !== oldSpec.providerID) {
    errs.push(
      forbidden(
        'spec.providerID',
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  return errs;
}

/** `SetDefaults_NodeStatus`: allocatable defaults to capacity. */
function setDefaultsNode(obj: KubeObject): void {
  const status = obj.status as Obj | undefined;
  if (status?.capacity && !status.allocatable)
    status.allocatable = structuredClone(status.capacity);
}

/** The STATUS cell: `Ready`/`NotReady`/`Unknown`, plus `SchedulingDisabled`. */
export function nodeStatus(obj: KubeObject): string {
  const conds = ((obj.status as Obj | undefined)?.conditions as Obj[] | undefined) ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const out: string[] = [];
  if (ready) out.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (out.length === 0) out.push('Unknown');
  if ((obj.spec as Obj | undefined)?.unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

/** `findNodeRoles`: from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels. */
export function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(obj: KubeObject, type: string): string {
  const addrs = ((obj.status as Obj | undefined)?.addresses as Obj[] | undefined) ?? [];
  return (addrs.find((a) => a.type === type)?.address as string) || '<none>';
}

export const nodes: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singularName: 'node',
  kind: 'Node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  storagePrefix: 'minions',
  defaults: setDefaultsNode,
  prepareForCreate() {
    // Nodes allow every field, status included, to be set on create.
  },
  prepareForUpdate(obj, old) {
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  },
  prepareForStatusUpdate: keepAllButStatus,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false }),
    ...validateNodeSpec(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateNodeSpec(obj),
    ...validateNodeUpdate(obj, old),
  ],
  validateStatusUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
  fieldLabels: (obj) => ({
    'metadata.name': obj.metadata?.name ?? '',
    'spec.unschedulable': String((obj.spec as Obj | undefined)?.unschedulable === true),
  }),
  table: {
    columns: [
      nameColumn,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      ageColumn,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node.', { wide: true }),
      col('External-IP', 'List of addresses reachable to the node.', { wide: true }),
      col(
        'OS-Image',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        { wide: true },
      ),
      col(
        'Kernel-Version',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        { wide: true },
      ),
      col(
        'Container-Runtime',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        { wide: true },
      ),
    ],
    cells(obj, { now }) {
      const info = (((obj.status as Obj | undefined)?.nodeInfo as Obj | undefined) ?? {}) as Record<
        string,
        string
      >;
      return [
        nameOf(obj),
        nodeStatus(obj),
        nodeRoles(obj),
        ageOf(obj, now),
        info.kubeletVersion ?? '',
        address(obj, 'InternalIP'),
        address(obj, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
};
