/**
 * networking.k8s.io/v1 networkpolicies (`SetDefaults_NetworkPolicy`, `ValidateNetworkPolicy*`,
 * `printNetworkPolicy`): policyTypes default to Ingress (+ Egress when egress rules exist), ports
 * default to TCP; peers, ports and IP blocks are validated.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { forbidden, invalid, notSupported, required } from '../validation/field.js';
import { isValidCIDR, isValidPortName, isValidPortNum } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import {
  formatLabelSelector,
  validateLabelSelector,
  type LabelSelector,
} from '../validation/selector.js';
import { ensure, generationOnlyStrategy, metaFieldLabels, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

const protocols = ['SCTP', 'TCP', 'UDP'];
const policyTypes = ['Ingress', 'Egress'];

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

/** `SetDefaults_NetworkPolicy` and `SetDefaults_NetworkPolicyPort`. */
export function setDefaultsNetworkPolicy(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  for (const dir of ['ingress', 'egress'])
    for (const rule of list(spec[dir]))
      for (const p of list(rule.ports)) setDefault(p, 'protocol', 'TCP');
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const types = ['Ingress'];
    if (list(spec.egress).length > 0) types.push('Egress');
    spec.policyTypes = types;
  }
}

function validatePort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol && !protocols.includes(port.protocol as string))
    errs.push(notSupported(`${path}.protocol`, port.protocol, protocols));
  if (typeof port.port === 'number') {
    for (const m of isValidPortNum(port.port)) errs.push(invalid(`${path}.port`, port.port, m));
    if (port.endPort !== undefined && port.endPort !== null) {
      if ((port.endPort as number) < port.port)
        errs.push(
          invalid(`${path}.endPort`, port.endPort, 'must be greater than or equal to `port`'),
        );
      for (const m of isValidPortNum(port.endPort as number))
        errs.push(invalid(`${path}.endPort`, port.endPort, m));
    }
  } else if (typeof port.port === 'string') {
    if (port.endPort !== undefined && port.endPort !== null)
      errs.push(forbidden(`${path}.endPort`, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(port.port)) errs.push(invalid(`${path}.port`, port.port, m));
  } else if (port.endPort !== undefined && port.endPort !== null) {
    errs.push(required(`${path}.port`, 'must be specified when `endPort` is specified'));
  }
  return errs;
}

function validatePeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = ['podSelector', 'namespaceSelector'].filter((k) => peer[k]).length;
  const ipBlock = peer.ipBlock as Obj | undefined;
  if (ipBlock && n > 0) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  else if (!ipBlock && n === 0) errs.push(required(path, 'must specify a peer'));
  for (const k of ['podSelector', 'namespaceSelector'])
    errs.push(...validateLabelSelector(peer[k] as LabelSelector | undefined, `${path}.${k}`));
  if (ipBlock) {
    const cidr = (ipBlock.cidr as string) ?? '';
    if (!cidr) errs.push(required(`${path}.ipBlock.cidr`));
    else for (const m of isValidCIDR(cidr)) errs.push(invalid(`${path}.ipBlock.cidr`, cidr, m));
    ((ipBlock.except as string[] | undefined) ?? []).forEach((e, i) => {
      for (const m of isValidCIDR(e)) errs.push(invalid(`${path}.ipBlock.except[${i}]`, e, m));
    });
  }
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
  const errs = validateLabelSelector(
    spec.podSelector as LabelSelector | undefined,
    'spec.podSelector',
  );
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    list(spec[dir]).forEach((rule, i) => {
      const p = `spec.${dir}[${i}]`;
      list(rule.ports).forEach((port, j) => errs.push(...validatePort(port, `${p}.ports[${j}]`)));
      list(rule[peersKey]).forEach((peer, j) =>
        errs.push(...validatePeer(peer, `${p}.${peersKey}[${j}]`)),
      );
    });
  }
  const types = Array.isArray(spec.policyTypes) ? (spec.policyTypes as string[]) : [];
  types.forEach((t, i) => {
    if (!policyTypes.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, policyTypes));
  });
  if (types.length > 2)
    errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPolicies: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'networkpolicies',
  singularName: 'networkpolicy',
  kind: 'NetworkPolicy',
  namespaced: true,
  shortNames: ['netpol'],
  allowCreateOnUpdate: true,
  defaults: setDefaultsNetworkPolicy,
  ...generationOnlyStrategy(),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSpec((obj.spec as Obj) ?? {}),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col(
        'Pod-Selector',
        'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field.',
      ),
      ageColumn,
    ],
    cells: (obj, { now }) => [
      nameOf(obj),
      formatLabelSelector(
        ((obj.spec as Obj | undefined)?.podSelector as LabelSelector | undefined) ?? {},
      ),
      ageOf(obj, now),
    ],
  },
};
