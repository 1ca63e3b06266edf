/**
 * From a CustomResourceDefinition to what the API server serves: one {@link ResourceType} per
 * served version (names from `status.acceptedNames`, as upstream's handler uses them), and the
 * schema definitions registered in the {@link SchemaSet} for field validation, server-side
 * apply, `kubectl explain` and the OpenAPI documents.
 *
 * Every version of a CRD shares one storage prefix, `/registry/<group>/<plural>/`, and is stored
 * in the storage version; conversion is `None`: only `apiVersion` is rewritten, and objects read
 * from storage are pruned and defaulted with the storage version's schema. Custom resources take
 * JSON and merge patches and server-side apply, never strategic merge patches (415); a PUT
 * without `metadata.resourceVersion` is refused (422), as upstream.
 */
import { newMethodNotSupported, StatusError } from '../../common/index.js';
import { customResourceSchemas } from '../openapi/index.js';
import type { KubeObject, ResourceType, ScaleMapping } from '../registry/index.js';
import type { Schema } from '../schema/index.js';
import { customResourceTable, type PrinterColumn } from './printer.js';
import { isObject, propertiesOf, preservesUnknown, type SchemaNode } from './schema/node.js';
import { CustomResourceStrategy, normalizeWith } from './strategy.js';
import { JSONPath } from './jsonpath.js';

type Obj = Record<string, unknown>;

/** What a CRD's types read at request time and the controller changes (no re-registration). */
export interface ServingState {
  /** The CRD is being deleted: creates are refused with 405. */
  terminating: boolean;
}

/** One entry of `spec.versions`. */
export interface CRDVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: SchemaNode };
  subresources?: {
    status?: unknown;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: Array<{ jsonPath: string }>;
}

/** The names a CRD is served under (`status.acceptedNames`). */
export interface CRDNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export function crdSpec(crd: KubeObject): Obj {
  return isObject(crd.spec) ? crd.spec : {};
}

export function crdVersions(crd: KubeObject): CRDVersion[] {
  const v = crdSpec(crd).versions;
  return Array.isArray(v) ? (v as CRDVersion[]) : [];
}

export function acceptedNames(crd: KubeObject): CRDNames {
  const status = isObject(crd.status) ? crd.status : {};
  return (isObject(status.acceptedNames) ? status.acceptedNames : {}) as unknown as CRDNames;
}

/** The served ResourceTypes of `crd`. */
export function customResourceTypes(crd: KubeObject, state: ServingState): ResourceType[] {
  const spec = crdSpec(crd);
  const group = String(spec.group ?? '');
  const names = acceptedNames(crd);
  const versions = crdVersions(crd);
  const storage = versions.find((v) => v.storage === true) ?? versions[0];
  const storageVersion = `${group}/${storage?.name ?? ''}`;
  const storageSchema = storage?.schema?.openAPIV3Schema;
  const namespaced = spec.scope === 'Namespaced';
  return versions
    .filter((v) => v.served === true)
    .map((v) =>
      versionType({ crd, group, names, v, namespaced, storageVersion, storageSchema, state }),
    );
}

interface VersionInput {
  crd: KubeObject;
  group: string;
  names: CRDNames;
  v: CRDVersion;
  namespaced: boolean;
  storageVersion: string;
  storageSchema?: SchemaNode;
  state: ServingState;
}

function versionType(i: VersionInput): ResourceType {
  const { group, names, v, namespaced, state } = i;
  const gv = `${group}/${v.name}`;
  const schema = v.schema?.openAPIV3Schema;
  const scaleSpec = v.subresources?.scale;
  const scale: ScaleMapping | undefined = scaleSpec
    ? {
        specReplicasPath: scaleSpec.specReplicasPath,
        statusReplicasPath: scaleSpec.statusReplicasPath,
        ...(scaleSpec.labelSelectorPath ? { labelSelectorPath: scaleSpec.labelSelectorPath } : {}),
      }
    : undefined;
  const hasStatus = v.subresources?.status !== undefined && v.subresources?.status !== null;
  const strategy = new CustomResourceStrategy({
    group,
    version: v.name,
    kind: names.kind,
    namespaced,
    schema,
    status: hasStatus,
    scale,
  });
  const subresources = [...(hasStatus ? ['status'] : []), ...(scale ? ['scale'] : [])];
  const selectable = (v.selectableFields ?? []).map((f) => ({
    key: f.jsonPath.replace(/^\./, ''),
    path: safePath(f.jsonPath),
  }));
  const gr = { group, resource: names.plural };
  return {
    group,
    version: v.name,
    resource: names.plural,
    singularName: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    namespaced,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    subresources,
    ...(scale ? { scale } : {}),
    storagePrefix: `${group}/${names.plural}`,
    strategicMerge: false,
    allowUnconditionalUpdate: false,
    defaults: (obj) => strategy.normalize(obj),
    prepareForCreate(obj) {
      if (state.terminating) {
        const err = newMethodNotSupported(gr, 'create');
        throw new StatusError({
          ...err.status,
          message: 'create not allowed while custom resource definition is terminating',
        });
      }
      strategy.prepareForCreate(obj);
    },
    prepareForUpdate: (obj, old) => strategy.prepareForUpdate(obj, old),
    prepareForStatusUpdate: (obj, old) => strategy.prepareForStatusUpdate(obj, old),
    validateCreate: (obj) => strategy.validateCreate(obj),
    validateUpdate: (obj, old) => strategy.validateUpdate(obj, old),
    validateStatusUpdate: (obj, old) => strategy.validateStatusUpdate(obj, old),
    fieldLabels(obj) {
      const out: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
      if (namespaced) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
      for (const f of selectable) out[f.key] = selectableValue(f.path?.find(obj)[0]);
      return out;
    },
    table: customResourceTable(v.additionalPrinterColumns),
    conversion: {
      storageVersion: i.storageVersion,
      toStorage: (obj) => ({ ...obj, apiVersion: i.storageVersion }),
      fromStorage(stored) {
        const obj = structuredClone(stored);
        normalizeWith(i.storageSchema, obj);
        obj.apiVersion = gv;
        return obj;
      },
    },
  };
}

function safePath(p: string): JSONPath | undefined {
  try {
    return new JSONPath(p);
  } catch {
    return undefined;
  }
}

/** Selectable field values are strings, integers or booleans, compared as text. */
function selectableValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/**
 * The schema definitions of `crd`'s served versions for the {@link SchemaSet}. Objects that
 * declare no properties (and neither preserve unknown fields nor take additional properties)
 * get an explicit empty `properties`, so field validation reports (and prunes) their fields as
 * unknown, as upstream's structural pruning does.
 */
export function customResourceDefinitions(crd: KubeObject): Record<string, Schema> {
  const spec = crdSpec(crd);
  const names = acceptedNames(crd);
  let defs: Record<string, Schema> = {};
  for (const v of crdVersions(crd)) {
    if (v.served !== true) continue;
    const schema = v.schema?.openAPIV3Schema;
    defs = {
      ...defs,
      ...customResourceSchemas({
        group: String(spec.group ?? ''),
        version: v.name,
        kind: names.kind,
        listKind: names.listKind,
        openAPIV3Schema: schema ? (closeObjects(schema) as Schema) : undefined,
      }),
    };
  }
  return defs;
}

function closeObjects(s: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...s };
  if (isObject(s.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(propertiesOf(s)).map(([k, v]) => [k, closeObjects(v)]),
    );
  }
  if (isObject(s.items)) out.items = closeObjects(s.items);
  if (isObject(s.additionalProperties))
    out.additionalProperties = closeObjects(s.additionalProperties);
  const closed =
    s.type === 'object' &&
    !preservesUnknown(s) &&
    s['x-kubernetes-embedded-resource'] !== true &&
    s.properties === undefined &&
    s.additionalProperties === undefined;
  if (closed) out.properties = {};
  return out;
}
