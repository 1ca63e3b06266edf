/**
 * core/v1 endpoints and serviceaccounts. Endpoints (`ValidateEndpoints`, `printEndpoints`) are
 * stored under `/registry/services/endpoints/` as upstream; ServiceAccounts serve the `token`
 * subresource (handled by the REST layer) and print NAME SECRETS AGE.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, notSupported, required } from '../validation/field.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isIPv4,
  isValidIP,
  isValidPortNum,
} from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

/** `validateNonSpecialIP`-style checks of an endpoint address. */
function validateEndpointIP(ip: string, path: string): FieldError[] {
  const msgs = isValidIP(ip);
  if (msgs.length) return msgs.map((m) => invalid(path, ip, m));
  if (ip === '0.0.0.0' || ip === '::')
    return [invalid(path, ip, 'may not be unspecified (0.0.0.0)')];
  if ((isIPv4(ip) && ip.startsWith('127.')) || ip === '::1') {
    return [invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  }
  if ((isIPv4(ip) && ip.startsWith('169.254.')) || /^fe[89ab]/i.test(ip)) {
    return [invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  }
  return [];
}

const protocols = ['SCTP', 'TCP', 'UDP'];

function validateSubsets(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  list(obj.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    const addrs = list(ss.addresses);
    const notReady = list(ss.notReadyAddresses);
    if (addrs.length === 0 && notReady.length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [field, group] of [
      ['addresses', addrs],
      ['notReadyAddresses', notReady],
    ] as const) {
      group.forEach((a, j) => {
        const ap = `${p}.${field}[${j}]`;
        errs.push(...validateEndpointIP((a.ip as string) ?? '', `${ap}.ip`));
        if (a.hostname)
          for (const m of isDNS1123Label(a.hostname as string))
            errs.push(invalid(`${ap}.hostname`, a.hostname, m));
        if (a.nodeName)
          for (const m of isDNS1123Subdomain(a.nodeName as string))
            errs.push(invalid(`${ap}.nodeName`, a.nodeName, m));
      });
    }
    const ports = list(ss.ports);
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port.name) errs.push(required(`${pp}.name`));
      else if (port.name)
        for (const m of isDNS1123Label(port.name as string))
          errs.push(invalid(`${pp}.name`, port.name, m));
      for (const m of isValidPortNum(port.port as number))
        errs.push(invalid(`${pp}.port`, port.port ?? 0, m));
      if (!port.protocol) errs.push(required(`${pp}.protocol`));
      else if (!protocols.includes(port.protocol as string))
        errs.push(notSupported(`${pp}.protocol`, port.protocol, protocols));
    });
  });
  return errs;
}

/** `formatEndpoints`: up to three `ip:port`, then ` + N more...`; `<none>` when empty. */
export function formatEndpoints(obj: KubeObject): string {
  const subsets = list(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const out: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = list(ss.addresses);
    const ports = list(ss.ports);
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (out.length === max) {
          more = true;
          break;
        }
        out.push(a.ip as string);
      }
      continue;
    }
    for (const port of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (out.length === max) {
          more = true;
          break;
        }
        const ip = a.ip as string;
        out.push(ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`);
      }
    }
  }
  const joined = out.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined || '<none>';
}

export const endpoints: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'endpoints',
  singularName: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
  shortNames: ['ep'],
  storagePrefix: 'services/endpoints',
  allowCreateOnUpdate: true,
  defaults(obj) {
    for (const ss of list(obj.subsets))
      for (const p of list(ss.ports)) setDefault(p, 'protocol', 'TCP');
  },
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateSubsets(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSubsets(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [nameColumn, col('Endpoints', 'Endpoints of the service'), ageColumn],
    cells: (obj, { now }) => [nameOf(obj), formatEndpoints(obj), ageOf(obj, now)],
  },
};

export const serviceAccounts: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singularName: 'serviceaccount',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: ['token'],
  allowCreateOnUpdate: true,
  validateCreate: (obj) => validateObjectMeta(obj.metadata, { namespaced: true }),
  validateUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col(
        'Secrets',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      ageColumn,
    ],
    cells: (obj, { now }) => [nameOf(obj), list(obj.secrets).length, ageOf(obj, now)],
  },
};
