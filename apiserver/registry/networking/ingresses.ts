/**
 * networking.k8s.io/v1 ingresses and ingressclasses (pkg/apis/networking/validation
 * `ValidateIngress*`, `ValidateIngressClass*`, `printIngress`, `printIngressClass`).
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import {
  forbidden,
  invalid,
  notSupported,
  required,
  validateImmutableField,
} from '../validation/field.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isIPv4,
  isIPv6,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels, statusStrategy } from '../strategy.js';

type Obj = Record<string, unknown>;

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

function validateBackend(b: Obj | undefined, path: string): FieldError[] {
  if (!b) return [required(path)];
  const errs: FieldError[] = [];
  const svc = b.service as Obj | undefined;
  if (svc && b.resource) return [invalid(path, b, 'cannot set both resource and service backends')];
  if (!svc && !b.resource) return [invalid(path, b, 'resource or service backend is required')];
  if (svc) {
    if (!svc.name) errs.push(required(`${path}.service.name`));
    else
      for (const m of isDNS1035Label(svc.name as string))
        errs.push(invalid(`${path}.service.name`, svc.name, m));
    const port = (svc.port as Obj | undefined) ?? {};
    const hasName = !!port.name;
    const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
    if (hasName && hasNumber)
      errs.push(invalid(`${path}.service.port`, port, 'cannot set both port name & port number'));
    else if (hasName)
      for (const m of isValidPortName(port.name as string))
        errs.push(invalid(`${path}.service.port.name`, port.name, m));
    else if (hasNumber)
      for (const m of isValidPortNum(port.number as number))
        errs.push(invalid(`${path}.service.port.number`, port.number, m));
    else errs.push(required(`${path}.service.port`, 'port name or number is required'));
  }
  return errs;
}

function validateHost(host: string, path: string): FieldError[] {
  if (isIPv4(host) || isIPv6(host))
    return [invalid(path, host, 'must be a DNS name, not an IP address')];
  const msgs = host.startsWith('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => invalid(path, host, m));
}

function validateIngressSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(spec.rules);
  if (!spec.defaultBackend && rules.length === 0) {
    errs.push(
      invalid(
        'spec.rules',
        spec.rules ?? [],
        'either `defaultBackend` or `rules` must be specified',
      ),
    );
  }
  if (spec.defaultBackend)
    errs.push(...validateBackend(spec.defaultBackend as Obj, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (rule.host) errs.push(...validateHost(rule.host as string, `${p}.host`));
    const http = rule.http as Obj | undefined;
    if (!http) return;
    const paths = list(http.paths);
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((hp, j) => {
      const pp = `${p}.http.paths[${j}]`;
      if (!hp.pathType) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!pathTypes.includes(hp.pathType as string))
        errs.push(notSupported(`${pp}.pathType`, hp.pathType, pathTypes));
      else if (hp.pathType !== 'ImplementationSpecific' || hp.path) {
        const path = (hp.path as string) ?? '';
        if (!path.startsWith('/'))
          errs.push(invalid(`${pp}.path`, path, 'must be an absolute path'));
      }
      errs.push(...validateBackend(hp.backend as Obj | undefined, `${pp}.backend`));
    });
  });
  list(spec.tls).forEach((t, i) => {
    (Array.isArray(t.hosts) ? (t.hosts as string[]) : []).forEach((h, j) => {
      const msgs = h.startsWith('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      for (const m of msgs) errs.push(invalid(`spec.tls[${i}].hosts[${j}]`, h, m));
    });
  });
  if (spec.ingressClassName) {
    for (const m of isDNS1123Subdomain(spec.ingressClassName as string))
      errs.push(invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return errs;
}

/** `formatHosts`: up to three hosts then ` + N more...`; `*` when no rule has a host. */
function formatHosts(rules: Obj[]): string {
  const out: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rules) {
    if (out.length === max) more = true;
    if (!more && r.host) out.push(r.host as string);
  }
  if (out.length === 0) return '*';
  return more ? `${out.join(',')} + ${rules.length - max} more...` : out.join(',');
}

/** Addresses of a load balancer status: IPs or hostnames joined by commas. */
export function loadBalancerAddresses(status: Obj | undefined): string {
  const ingress = list((status?.loadBalancer as Obj | undefined)?.ingress);
  return ingress
    .map((i) => (i.ip as string) || (i.hostname as string) || '')
    .filter(Boolean)
    .join(',');
}

export const ingresses: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingresses',
  singularName: 'ingress',
  kind: 'Ingress',
  namespaced: true,
  shortNames: ['ing'],
  storagePrefix: 'ingress',
  subresources: ['status'],
  allowCreateOnUpdate: true,
  ...statusStrategy({ initialStatus: () => ({ loadBalancer: {} }) }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateIngressSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateIngressSpec((obj.spec as Obj) ?? {}),
  ],
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    list(((obj.status as Obj | undefined)?.loadBalancer as Obj | undefined)?.ingress).forEach(
      (ing, i) => {
        if (ing.ip && !isIPv4(ing.ip as string) && !isIPv6(ing.ip as string)) {
          errs.push(
            invalid(`status.loadBalancer.ingress[${i}].ip`, ing.ip, 'must be a valid IP address'),
          );
        }
      },
    );
    return errs;
  },
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Class', 'ingressClassName is the name of an IngressClass cluster resource.'),
      col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'Ports of TLS configurations that open'),
      ageColumn,
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      return [
        nameOf(obj),
        (spec.ingressClassName as string) || '<none>',
        formatHosts(list(spec.rules)),
        loadBalancerAddresses(obj.status as Obj | undefined),
        list(spec.tls).length ? '80, 443' : '80',
        ageOf(obj, now),
      ];
    },
  },
};

const maxControllerLength = 250;

function validateIngressClassSpec(obj: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const errs: FieldError[] = [];
  const controller = (spec.controller as string) ?? '';
  if (!controller) errs.push(required('spec.controller'));
  else if (controller.length > maxControllerLength)
    errs.push({
      type: 'FieldValueTooLong',
      field: 'spec.controller',
      detail: `may not be more than ${maxControllerLength} bytes`,
    });
  else {
    const [domain, ...rest] = controller.split('/');
    if (rest.length === 0 || rest.join('/') === '')
      errs.push(
        invalid(
          'spec.controller',
          controller,
          'must be a domain-prefixed path (such as "acme.io/foo")',
        ),
      );
    else
      for (const m of isDNS1123Subdomain(domain))
        errs.push(invalid('spec.controller', controller, m));
  }
  const params = spec.parameters as Obj | undefined;
  if (params) {
    if (!params.kind) errs.push(required('spec.parameters.kind'));
    if (!params.name) errs.push(required('spec.parameters.name'));
    if (params.apiGroup)
      for (const m of isDNS1123Subdomain(params.apiGroup as string))
        errs.push(invalid('spec.parameters.apiGroup', params.apiGroup, m));
    const scope = params.scope ?? 'Cluster';
    if (scope !== 'Cluster' && scope !== 'Namespace')
      errs.push(notSupported('spec.parameters.scope', scope, ['Cluster', 'Namespace']));
    if (scope === 'Namespace' && !params.namespace)
      errs.push(required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && params.namespace)
      errs.push(forbidden('spec.parameters.namespace', '`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

export const ingressClasses: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingressclasses',
  singularName: 'ingressclass',
  kind: 'IngressClass',
  namespaced: false,
  allowCreateOnUpdate: true,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false }),
    ...validateIngressClassSpec(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateIngressClassSpec(obj),
    ...validateImmutableField(
      (obj.spec as Obj | undefined)?.controller,
      (old.spec as Obj | undefined)?.controller,
      'spec.controller',
    ),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: {
    columns: [
      nameColumn,
      col('Controller', 'Controller that is responsible for handling this class'),
      col('Parameters', 'A reference to a resource with additional parameters'),
      ageColumn,
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const p = spec.parameters as Obj | undefined;
      const params = p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>';
      return [nameOf(obj), (spec.controller as string) ?? '', params, ageOf(obj, now)];
    },
  },
};
