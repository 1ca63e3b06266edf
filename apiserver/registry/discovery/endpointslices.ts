/**
 * discovery.k8s.io/v1 endpointslices (pkg/apis/discovery/validation `ValidateEndpointSlice*`,
 * `printEndpointSlice`): an immutable addressType (IPv4, IPv6, FQDN), 1–100 addresses per
 * endpoint of that type, at most 1000 endpoints and 100 ports, ports defaulting to TCP.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import {
  invalid,
  notSupported,
  required,
  tooMany,
  validateImmutableField,
} from '../validation/field.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isIPv4,
  isIPv6,
  isQualifiedName,
  isValidPortNum,
} from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { generationOnlyStrategy, metaFieldLabels, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 20000;

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

function validateAddress(addr: string, type: string, path: string): FieldError[] {
  if (type === 'IPv4' && !isIPv4(addr))
    return [invalid(path, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6' && !isIPv6(addr))
    return [invalid(path, addr, 'must be a valid IPv6 address')];
  if (type === 'FQDN') return isDNS1123Subdomain(addr).map((m) => invalid(path, addr, m));
  return [];
}

function validateSlice(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = (obj.addressType as string) ?? '';
  if (!type) errs.push(required('addressType'));
  else if (!addressTypes.includes(type)) errs.push(notSupported('addressType', type, addressTypes));
  const eps = list(obj.endpoints);
  if (eps.length > maxEndpoints) errs.push(tooMany('endpoints', eps.length, maxEndpoints));
  eps.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addrs = Array.isArray(ep.addresses) ? (ep.addresses as string[]) : [];
    if (addrs.length === 0)
      errs.push(required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > maxAddresses)
      errs.push(tooMany(`${p}.addresses`, addrs.length, maxAddresses));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, type, `${p}.addresses[${j}]`)));
    if (ep.hostname)
      for (const m of isDNS1123Label(ep.hostname as string))
        errs.push(invalid(`${p}.hostname`, ep.hostname, m));
    if (ep.nodeName)
      for (const m of isDNS1123Subdomain(ep.nodeName as string))
        errs.push(invalid(`${p}.nodeName`, ep.nodeName, m));
  });
  const ports = list(obj.ports);
  if (ports.length > maxPorts) errs.push(tooMany('ports', ports.length, maxPorts));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = (port.name as string) ?? '';
    if (name) for (const m of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, m));
    if (names.has(name))
      errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, value: name });
    names.add(name);
    if (!port.protocol) errs.push(required(`${p}.protocol`));
    else if (!protocols.includes(port.protocol as string))
      errs.push(notSupported(`${p}.protocol`, port.protocol, protocols));
    if (port.port !== undefined && port.port !== null)
      for (const m of isValidPortNum(port.port as number))
        errs.push(invalid(`${p}.port`, port.port, m));
    if (port.appProtocol)
      for (const m of isQualifiedName(port.appProtocol as string))
        errs.push(invalid(`${p}.appProtocol`, port.appProtocol, m));
  });
  return errs;
}

/** `listWithMoreString`: first three, then ` + N more...`; `<unset>` when empty. */
function listWithMore(items: string[], max = 3): string {
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length ? items.join(',') : '<unset>';
}

export const endpointSlices: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  singularName: 'endpointslice',
  kind: 'EndpointSlice',
  namespaced: true,
  defaults(obj) {
    for (const p of list(obj.ports)) {
      setDefault(p, 'name', '');
      setDefault(p, 'protocol', 'TCP');
    }
  },
  ...generationOnlyStrategy(['addressType', 'endpoints', 'ports']),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateSlice(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSlice(obj),
    ...validateImmutableField(obj.addressType, old.addressType, 'addressType'),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('AddressType', 'Type of address carried by this EndpointSlice'),
      col('Ports', 'Ports provided by this EndpointSlice'),
      col('Endpoints', 'Endpoints in this EndpointSlice'),
      ageColumn,
    ],
    cells(obj, { now }) {
      const ports = list(obj.ports).map((p) =>
        p.port !== undefined && p.port !== null ? String(p.port) : p.name ? String(p.name) : '*',
      );
      const addrs = list(obj.endpoints).flatMap((e) =>
        Array.isArray(e.addresses) ? (e.addresses as string[]) : [],
      );
      return [
        nameOf(obj),
        (obj.addressType as string) ?? '',
        listWithMore(ports),
        listWithMore(addrs),
        ageOf(obj, now),
      ];
    },
  },
};
