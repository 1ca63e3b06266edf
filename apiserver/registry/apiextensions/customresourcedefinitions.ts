/**
 * apiextensions.k8s.io/v1 customresourcedefinitions: the CRD object itself
 * (apiextensions-apiserver pkg/apis/apiextensions/validation, v1 defaults, registry strategy).
 * Defaults: singular = lower-case kind, listKind = kind + `List`, conversion None. Create resets
 * status to the accepted-names placeholder with the storage version in `storedVersions`; updates
 * append a new storage version. Validation: the name is `<plural>.<group>`, the group has a dot,
 * scope and names are well formed, versions are unique DNS-1035 labels with exactly one storage
 * version and a structural schema each; group and plural never change, scope not once Established.
 * Serving custom resources is another component's.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { defaultTable } from '../printers/columns.js';
import { invalid, notSupported, required, validateImmutableField } from '../validation/field.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.js';
import {
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type NameValidator,
} from '../validation/objectmeta.js';
import { ensure, keepAllButStatus, metaFieldLabels, setDefault } from '../strategy.js';
import { deepEqual } from '../validation/field.js';
import {
  validateOpenAPISchema,
  validateStructuralSchema,
  type JSONSchemaProps,
} from './structural.js';

type Obj = Record<string, unknown>;

function spec(obj: KubeObject): Obj {
  return (obj.spec as Obj | undefined) ?? {};
}

function versions(obj: KubeObject): Obj[] {
  return Array.isArray(spec(obj).versions) ? (spec(obj).versions as Obj[]) : [];
}

function storageVersion(obj: KubeObject): string | undefined {
  return versions(obj).find((v) => v.storage === true)?.name as string | undefined;
}

/** `SetDefaults_CustomResourceDefinition`. */
export function setDefaultsCRD(obj: KubeObject): void {
  const s = ensure(obj, 'spec');
  const names = ensure(s, 'names');
  if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  if (!s.conversion) s.conversion = { strategy: 'None' };
  const webhook = ((s.conversion as Obj).webhook as Obj | undefined)?.clientConfig as
    Obj | undefined;
  if (webhook?.service) setDefault(webhook.service as Obj, 'port', 443);
}

function addStoredVersion(obj: KubeObject): void {
  const sv = storageVersion(obj);
  if (!sv) return;
  const status = ensure(obj, 'status');
  const stored = Array.isArray(status.storedVersions) ? (status.storedVersions as string[]) : [];
  if (!stored.includes(sv)) status.storedVersions = [...stored, sv];
}

function validateNames(names: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const p = 'spec.names';
  for (const f of ['plural', 'singular', 'kind', 'listKind'])
    if (!names[f]) errs.push(required(`${p}.${f}`));
  for (const f of ['plural', 'singular']) {
    const v = names[f] as string | undefined;
    if (v) {
      const msgs = isDNS1035Label(v);
      if (msgs.length) errs.push(invalid(`${p}.${f}`, v, msgs.join(',')));
    }
  }
  for (const f of ['kind', 'listKind']) {
    const v = names[f] as string | undefined;
    if (v) {
      const msgs = isDNS1035Label(v.toLowerCase());
      if (msgs.length)
        errs.push(
          invalid(
            `${p}.${f}`,
            v,
            `may have mixed case, but should otherwise match: ${msgs.join(',')}`,
          ),
        );
    }
  }
  ((names.shortNames as string[] | undefined) ?? []).forEach((s, i) => {
    const msgs = isDNS1035Label(s);
    if (msgs.length) errs.push(invalid(`${p}.shortNames[${i}]`, s, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind)
    errs.push(invalid(`${p}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  ((names.categories as string[] | undefined) ?? []).forEach((c, i) => {
    const msgs = isDNS1035Label(c);
    if (msgs.length) errs.push(invalid(`${p}.categories[${i}]`, c, msgs.join(',')));
  });
  return errs;
}

function validateVersion(v: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schema = (v.schema as Obj | undefined)?.openAPIV3Schema as JSONSchemaProps | undefined;
  if (!schema) {
    errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  } else {
    const sp = `${path}.schema.openAPIV3Schema`;
    const apiErrs = validateOpenAPISchema(schema, sp);
    errs.push(...apiErrs);
    if (apiErrs.length === 0) errs.push(...validateStructuralSchema(schema, sp));
  }
  const sub = v.subresources as Obj | undefined;
  const scale = sub?.scale as Obj | undefined;
  if (scale) {
    for (const f of ['specReplicasPath', 'statusReplicasPath']) {
      const jp = scale[f] as string | undefined;
      if (!jp) errs.push(required(`${path}.subresources.scale.${f}`));
      else if (!jp.startsWith('.'))
        errs.push(
          invalid(
            `${path}.subresources.scale.${f}`,
            jp,
            'should be a json path under .spec or .status',
          ),
        );
    }
  }
  ((v.additionalPrinterColumns as Obj[] | undefined) ?? []).forEach((c, i) => {
    const cp = `${path}.additionalPrinterColumns[${i}]`;
    if (!c.name) errs.push(required(`${cp}.name`));
    if (!c.jsonPath) errs.push(required(`${cp}.jsonPath`));
    const types = ['boolean', 'date', 'integer', 'number', 'string'];
    if (!c.type) errs.push(required(`${cp}.type`));
    else if (!types.includes(c.type as string))
      errs.push(notSupported(`${cp}.type`, c.type, types));
  });
  return errs;
}

function validateSpec(obj: KubeObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  const group = (s.group as string) ?? '';
  if (!group) errs.push(required('spec.group'));
  else {
    const msgs = isDNS1123Subdomain(group);
    if (msgs.length) errs.push(invalid('spec.group', group, msgs.join(',')));
    else if (group.split('.').length < 2)
      errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scopes = ['Cluster', 'Namespaced'];
  if (!s.scope) errs.push(required('spec.scope'));
  else if (!scopes.includes(s.scope as string))
    errs.push(notSupported('spec.scope', s.scope, scopes));
  const vs = versions(obj);
  if (vs.length === 0)
    errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  let unique = true;
  vs.forEach((v, i) => {
    const name = (v.name as string) ?? '';
    if (seen.has(name)) unique = false;
    seen.add(name);
    const msgs = isDNS1035Label(name);
    if (msgs.length) errs.push(invalid(`spec.versions[${i}].name`, name, msgs.join(',')));
    errs.push(...validateVersion(v, `spec.versions[${i}]`));
  });
  if (!unique) errs.push(invalid('spec.versions', vs, 'must contain unique version names'));
  if (vs.length && vs.filter((v) => v.storage === true).length !== 1) {
    errs.push(
      invalid('spec.versions', vs, 'must have exactly one version marked as storage version'),
    );
  }
  errs.push(...validateNames((s.names as Obj | undefined) ?? {}));
  if (s.preserveUnknownFields === true) {
    errs.push(
      invalid(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  const conversion = (s.conversion as Obj | undefined) ?? {};
  if (!['None', 'Webhook'].includes(conversion.strategy as string)) {
    errs.push(
      notSupported('spec.conversion.strategy', conversion.strategy ?? '', ['None', 'Webhook']),
    );
  } else if (conversion.strategy === 'Webhook' && !conversion.webhook) {
    errs.push(required('spec.conversion.webhook', 'must be set when strategy is set to Webhook'));
  }
  return errs;
}

function validateStoredVersions(obj: KubeObject): FieldError[] {
  const stored = ((obj.status as Obj | undefined)?.storedVersions as string[] | undefined) ?? [];
  const p = 'status.storedVersions';
  if (stored.length === 0) return [invalid(p, stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions(obj)) {
    if (v.storage === true && !remaining.has(v.name as string))
      errs.push(invalid(p, v, `must have the storage version ${v.name}`));
    remaining.delete(v.name as string);
  }
  for (const [v, i] of remaining)
    errs.push(invalid(`${p}[${i}]`, v, 'must appear in spec.versions'));
  return errs;
}

function crdNameFn(obj: KubeObject): NameValidator {
  return (name, prefix) => {
    const errs = nameIsDNSSubdomain(name, prefix);
    const s = spec(obj);
    const plural = ((s.names as Obj | undefined)?.plural as string) ?? '';
    if (name !== `${plural}.${s.group ?? ''}`)
      errs.push('must be spec.names.plural+"."+spec.group');
    return errs;
  };
}

function isEstablished(obj: KubeObject): boolean {
  const conds = ((obj.status as Obj | undefined)?.conditions as Obj[] | undefined) ?? [];
  return conds.some((c) => c.type === 'Established' && c.status === 'True');
}

export const customResourceDefinitions: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  singularName: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
  categories: ['api-extensions'],
  subresources: ['status'],
  defaults: setDefaultsCRD,
  prepareForCreate(obj) {
    obj.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
    addStoredVersion(obj);
    (obj.metadata ??= {}).generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = structuredClone(old.status ?? {});
    addStoredVersion(obj);
    const gen = old.metadata?.generation ?? 0;
    (obj.metadata ??= {}).generation = deepEqual(obj.spec, old.spec) ? gen : gen + 1;
  },
  prepareForStatusUpdate(obj, old) {
    keepAllButStatus(obj, old);
    if (old.metadata?.generation !== undefined)
      (obj.metadata ??= {}).generation = old.metadata.generation;
  },
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false, nameFn: crdNameFn(obj) }),
    ...validateSpec(obj),
    ...validateStoredVersions(obj),
  ],
  validateUpdate(obj, old) {
    const errs = [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateSpec(obj),
      ...validateStoredVersions(obj),
    ];
    const s = spec(obj);
    const o = spec(old);
    if (isEstablished(old)) errs.push(...validateImmutableField(s.scope, o.scope, 'spec.scope'));
    errs.push(...validateImmutableField(s.group, o.group, 'spec.group'));
    errs.push(
      ...validateImmutableField(
        (s.names as Obj | undefined)?.plural,
        (o.names as Obj | undefined)?.plural,
        'spec.names.plural',
      ),
    );
    return errs;
  },
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateStoredVersions(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: defaultTable,
};
