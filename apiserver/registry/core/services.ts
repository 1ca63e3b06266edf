/**
 * core/v1 services (pkg/apis/core/v1/defaults.go `SetDefaults_Service`, pkg/apis/core/validation
 * `ValidateService`/`ValidateServiceUpdate`, pkg/registry/core/service/strategy.go): defaults
 * (sessionAffinity None, type ClusterIP, port protocol TCP, targetPort = port, traffic policies),
 * port and type validation, clusterIP immutability (IP allocation itself is the REST layer's),
 * status reset on create, and the `kubectl get services` table.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, ageColumn, ageOf, nameColumn, nameOf } from '../printers/columns.js';
import { duplicate, forbidden, invalid, notSupported, required } from '../validation/field.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isIPv4,
  isIPv6,
  isValidIP,
  isValidPortName,
  isValidPortNum,
} from '../validation/names.js';
import {
  nameIsDNS1035Label,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { formatLabels } from '../validation/selector.js';
import { ensure, keepAllButStatus, metaFieldLabels, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const affinities = ['ClientIP', 'None'];
const protocols = ['SCTP', 'TCP', 'UDP'];

function ports(spec: Obj): Obj[] {
  return Array.isArray(spec.ports) ? (spec.ports as Obj[]) : [];
}

/** `SetDefaults_Service`. */
export function setDefaultsService(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  setDefault(spec, 'type', 'ClusterIP');
  for (const p of ports(spec)) {
    setDefault(p, 'protocol', 'TCP');
    if (
      p.targetPort === undefined ||
      p.targetPort === null ||
      p.targetPort === 0 ||
      p.targetPort === ''
    ) {
      p.targetPort = p.port;
    }
  }
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if (spec.type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = ensure(spec, 'sessionAffinityConfig', 'clientIP');
    setDefault(cfg, 'timeoutSeconds', 10800);
  }
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

function isHeadless(spec: Obj): boolean {
  return spec.clusterIP === 'None';
}

/** `validateServiceSpec` (the parts that do not depend on cluster IP ranges). */
export function validateServiceSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type as string;
  const ps = ports(spec);
  if (!serviceTypes.includes(type))
    errs.push(type ? notSupported('spec.type', type, serviceTypes) : required('spec.type'));
  if (type === 'ExternalName') {
    const name = ((spec.externalName as string) ?? '').replace(/\.$/, '');
    if (!name) errs.push(required('spec.externalName'));
    else
      for (const msg of isDNS1123Subdomain(name))
        errs.push(invalid('spec.externalName', spec.externalName, msg));
    if (spec.clusterIP && spec.clusterIP !== 'None') {
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
  } else if (ps.length === 0 && !isHeadless(spec)) {
    errs.push(required('spec.ports'));
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  ps.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    const name = (p.name as string) ?? '';
    if (ps.length > 1 && !name) errs.push(required(`${pp}.name`));
    else if (name) {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${pp}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${pp}.name`, name));
      names.add(name);
    }
    for (const msg of isValidPortNum(p.port as number))
      errs.push(invalid(`${pp}.port`, p.port ?? 0, msg));
    if (!p.protocol) errs.push(required(`${pp}.protocol`));
    else if (!protocols.includes(p.protocol as string))
      errs.push(notSupported(`${pp}.protocol`, p.protocol, protocols));
    if (typeof p.targetPort === 'string') {
      for (const msg of isValidPortName(p.targetPort))
        errs.push(invalid(`${pp}.targetPort`, p.targetPort, msg));
    } else if (typeof p.targetPort === 'number') {
      for (const msg of isValidPortNum(p.targetPort))
        errs.push(invalid(`${pp}.targetPort`, p.targetPort, msg));
    }
    if (type === 'ClusterIP' && p.nodePort) {
      errs.push(forbidden(`${pp}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
    if (p.nodePort)
      for (const msg of isValidPortNum(p.nodePort as number))
        errs.push(invalid(`${pp}.nodePort`, p.nodePort, msg));
    const key = `${p.protocol}/${p.port}`;
    if (keys.has(key)) errs.push(duplicate(pp, { port: p.port, protocol: p.protocol }));
    keys.add(key);
  });
  if (spec.clusterIP && spec.clusterIP !== 'None') {
    for (const msg of isValidIP(spec.clusterIP as string))
      errs.push(invalid('spec.clusterIPs[0]', spec.clusterIP, msg));
  }
  ((spec.externalIPs as string[] | undefined) ?? []).forEach((ip, i) => {
    for (const msg of isValidIP(ip)) errs.push(invalid(`spec.externalIPs[${i}]`, ip, msg));
  });
  errs.push(
    ...validateLabels(spec.selector as Record<string, string> | undefined, 'spec.selector'),
  );
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!affinities.includes(spec.sessionAffinity as string)) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, affinities));
  }
  if (spec.externalTrafficPolicy) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(
        invalid(
          'spec.externalTrafficPolicy',
          spec.externalTrafficPolicy,
          "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
        ),
      );
    } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy as string)) {
      errs.push(
        notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, [
          'Cluster',
          'Local',
        ]),
      );
    }
  } else if (type === 'NodePort' || type === 'LoadBalancer') {
    errs.push(required('spec.externalTrafficPolicy'));
  }
  if (
    spec.internalTrafficPolicy &&
    !['Cluster', 'Local'].includes(spec.internalTrafficPolicy as string)
  ) {
    errs.push(
      notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']),
    );
  }
  return errs;
}

/** `ValidateServiceUpdate`: the primary cluster IP may not change (except to/from ExternalName). */
function validateServiceUpdate(spec: Obj, old: Obj): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  const oldIP = (old.clusterIP as string) ?? '';
  const newIP = (spec.clusterIP as string) ?? '';
  if (oldIP && newIP !== oldIP)
    return [invalid('spec.clusterIPs[0]', newIP, 'may not change once set')];
  return [];
}

/** `getServiceExternalIP` of kubectl's printers. */
export function serviceExternalIP(spec: Obj, status: Obj): string {
  const external = (spec.externalIPs as string[] | undefined) ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (
        ((status.loadBalancer as Obj | undefined)?.ingress as Obj[] | undefined) ?? []
      )
        .map((i) => (i.ip as string) || (i.hostname as string))
        .filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return (spec.externalName as string) ?? '';
    default:
      return '<unknown>';
  }
}

/** `makePortString`: `80/TCP,30000:443/TCP`. */
export function servicePortString(spec: Obj): string {
  const ps = ports(spec).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`,
  );
  return ps.length ? ps.join(',') : '<none>';
}

export const services: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'services',
  singularName: 'service',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  storagePrefix: 'services/specs',
  allowCreateOnUpdate: true,
  defaults: setDefaultsService,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    obj.status = structuredClone(old.status ?? { loadBalancer: {} });
    const spec = ensure(obj, 'spec');
    const oldSpec = (old.spec as Obj | undefined) ?? {};
    // As the REST layer's patchAllocatedValues: an update that omits allocated values keeps them.
    if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
      if (!spec.clusterIP && oldSpec.clusterIP) {
        spec.clusterIP = oldSpec.clusterIP;
        if (oldSpec.clusterIPs) spec.clusterIPs = structuredClone(oldSpec.clusterIPs);
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const oldPorts = ports(oldSpec);
        for (const p of ports(spec)) {
          if (p.nodePort) continue;
          const match = oldPorts.find(
            (o) => o.port === p.port && o.protocol === p.protocol && o.nodePort,
          );
          if (match) p.nodePort = match.nodePort;
        }
      }
    }
  },
  prepareForStatusUpdate: keepAllButStatus,
  validateCreate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsDNS1035Label }),
      ...validateServiceSpec((obj.spec as Obj) ?? {}),
    ];
  },
  validateUpdate(obj, old) {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateServiceSpec((obj.spec as Obj) ?? {}),
      ...validateServiceUpdate((obj.spec as Obj) ?? {}, (old.spec as Obj) ?? {}),
    ];
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const ingress =
      (((obj.status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress as
        Obj[] | undefined) ?? [];
    ingress.forEach((ing, i) => {
      if (ing.ip && !isIPv4(ing.ip as string) && !isIPv6(ing.ip as string)) {
        errs.push(
          invalid(`status.loadBalancer.ingress[${i}].ip`, ing.ip, 'must be a valid IP address'),
        );
      }
    });
    return errs;
  },
  fieldLabels: (obj) => ({
    ...metaFieldLabels(obj, true),
    'spec.clusterIP': ((obj.spec as Obj | undefined)?.clusterIP as string) ?? '',
    'spec.type': ((obj.spec as Obj | undefined)?.type as string) ?? '',
  }),
  table: {
    columns: [
      nameColumn,
      col('Type', 'type determines how the Service is exposed.'),
      col(
        'Cluster-IP',
        'clusterIP is the IP address of the service and is usually assigned randomly.',
      ),
      col(
        'External-IP',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      ageColumn,
      col(
        'Selector',
        'Route service traffic to pods with label keys and values matching this selector.',
        { wide: true },
      ),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      return [
        nameOf(obj),
        (spec.type as string) ?? '',
        (spec.clusterIP as string) || '<none>',
        serviceExternalIP(spec, status),
        servicePortString(spec),
        ageOf(obj, now),
        formatLabels(spec.selector as Record<string, string> | undefined),
      ];
    },
  },
};
