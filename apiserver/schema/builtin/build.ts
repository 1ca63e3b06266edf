/**
 * Builds the schema definitions of the built-in types from @kubernetes/client-node's generated
 * models plus the project-owned tables (groups, extensions, primitives).
 *
 * Guarantees: every `$ref` in the result names a definition in the result; top-level kinds carry
 * `x-kubernetes-group-version-kind`; properties are sorted by name, as upstream's documents are;
 * only types reachable from the built-in kinds are included (client-node also carries alpha and
 * beta types that kuberx does not serve).
 */
import type { GroupVersionKind, Schema } from '../types.js';
import type { ModelAttribute, ModelClass } from './clientnode.js';
import { loadClientNodeModels } from './clientnode.js';
import {
  builtinGroupVersions,
  extraCoreTypes,
  metaCoreKinds,
  metaKinds,
  metaPackage,
  metaPerGroupKinds,
  packageOf,
} from './groups.js';
import {
  atomicTypes,
  flattenedFields,
  propertyExtensions,
  unions as unionTable,
} from './extensions.js';
import { primitiveDefinitions, primitiveNames } from './primitives.js';

/** A model class name split into its parts: `CoreV1Event` → core, v1, Event. */
interface ParsedName {
  groupPrefix?: string;
  version: string;
  kind: string;
}

const classNamePattern = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

export function parseClassName(className: string): ParsedName | undefined {
  const m = classNamePattern.exec(className);
  if (!m) return undefined;
  return { groupPrefix: m[1]?.toLowerCase(), version: m[2].toLowerCase(), kind: m[3] };
}

/** Where a class lands: its definition name and its table key (`core.v1.PodSpec`). */
interface Placement {
  name: string;
  tableKey: string;
}

/** The class names an attribute type refers to (`Array<V1Container>` → V1Container). */
export function referencedClasses(type: string): string[] {
  return [...type.matchAll(/\b([A-Z][A-Za-z0-9]*V\d+[A-Za-z0-9]*|V\d+[A-Za-z0-9]+)\b/g)].map(
    (m) => m[1],
  );
}

/** Builds all built-in definitions; `models` defaults to client-node's. */
export function buildBuiltinDefinitions(
  models: Map<string, ModelClass> = loadClientNodeModels(),
): Map<string, Schema> {
  const placements = placeClasses(models);
  const defs = new Map<string, Schema>();
  for (const [className, place] of placements) {
    defs.set(place.name, convertClass(models.get(className)!, place, placements));
  }
  for (const [name, schema] of Object.entries(primitiveDefinitions())) defs.set(name, schema);
  const version = models.get('VersionInfo');
  if (version) {
    const place = { name: 'io.k8s.apimachinery.pkg.version.Info', tableKey: 'version.Info' };
    defs.set(place.name, convertClass(version, place, placements));
  }
  tagKinds(defs);
  return defs;
}

/** Assigns each reachable class to a package, first group to reach it wins (core first). */
function placeClasses(models: Map<string, ModelClass>): Map<string, Placement> {
  const placements = new Map<string, Placement>();
  const place = (className: string, pkg: string, shortPkg: string, version: string): void => {
    if (placements.has(className) || !models.has(className)) return;
    const parsed = parseClassName(className);
    if (!parsed) return;
    if (metaKinds.has(parsed.kind) && !parsed.groupPrefix && parsed.version === 'v1') {
      placements.set(className, {
        name: `${metaPackage}.${parsed.kind}`,
        tableKey: `meta.v1.${parsed.kind}`,
      });
    } else {
      if (parsed.version !== version) return;
      placements.set(className, {
        name: `${pkg}.${parsed.kind}`,
        tableKey: `${shortPkg}.${version}.${parsed.kind}`,
      });
    }
    for (const attr of models.get(className)!.attributes) {
      for (const ref of referencedClasses(attr.type)) place(ref, pkg, shortPkg, version);
    }
  };
  for (const kind of metaKinds) place(`V1${kind}`, metaPackage, 'meta', 'v1');
  for (const kind of extraCoreTypes) place(`V1${kind}`, packageOf('', 'v1'), 'core', 'v1');
  for (const gv of builtinGroupVersions) {
    const pkg = packageOf(gv.group, gv.version);
    const shortPkg = pkg.split('.').slice(-2, -1)[0];
    for (const kind of gv.kinds) {
      const className = classForKind(models, gv.group, gv.version, kind);
      if (className) place(className, pkg, shortPkg, gv.version);
    }
  }
  return placements;
}

/** The model class of a top-level kind: the group-prefixed name when client-node has one. */
export function classForKind(
  models: Map<string, { className: string }>,
  group: string,
  version: string,
  kind: string,
): string | undefined {
  const prefix = group === '' ? 'Core' : capitalize(group.split('.')[0]);
  const ver = capitalize(version);
  for (const candidate of [`${prefix}${ver}${kind}`, `${ver}${kind}`]) {
    if (models.has(candidate)) return candidate;
  }
  return undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function convertClass(
  model: ModelClass,
  place: Placement,
  placements: Map<string, Placement>,
): Schema {
  const properties: Record<string, Schema> = {};
  const flattened = flattenedFields[place.tableKey] ?? {};
  const extensions = propertyExtensions[place.tableKey] ?? {};
  for (const attr of [...model.attributes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    let prop = convertType(attr, placements, flattened[attr.name]);
    const description = model.fieldDescriptions.get(attr.name);
    if (description) prop = { description, ...prop };
    properties[attr.name] = { ...prop, ...extensions[attr.name] };
  }
  const schema: Schema = {};
  if (model.description) schema.description = model.description;
  schema.type = 'object';
  schema.properties = properties;
  const required = model.attributes.map((a) => a.name).filter((n) => model.required.has(n));
  if (required.length > 0) schema.required = required.sort();
  if (atomicTypes.has(place.tableKey)) schema['x-kubernetes-map-type'] = 'atomic';
  const unions = unionTable[place.tableKey];
  if (unions) schema['x-kubernetes-unions'] = unions;
  return schema;
}

function convertType(
  attr: ModelAttribute,
  placements: Map<string, Placement>,
  flattened?: string,
): Schema {
  if (flattened) return flattenedSchema(attr.type, flattened);
  return typeSchema(attr.type.trim(), attr.format, placements);
}

function flattenedSchema(type: string, flattened: string): Schema {
  const isMap = flattened.endsWith('[]');
  const ref: Schema = { $ref: primitiveNames[isMap ? flattened.slice(0, -2) : flattened] };
  if (isMap) return { type: 'object', additionalProperties: ref };
  if (type.startsWith('Array<')) return { type: 'array', items: ref };
  return ref;
}

function typeSchema(type: string, format: string, placements: Map<string, Placement>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1].trim(), format, placements) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/.exec(type);
  if (map) {
    return { type: 'object', additionalProperties: typeSchema(map[1].trim(), format, placements) };
  }
  switch (type) {
    case 'string':
      return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return { type: 'number', format: format || 'double' };
    case 'Date':
      return { $ref: primitiveNames.Time };
    case 'V1MicroTime':
      return { $ref: primitiveNames.MicroTime };
    case 'IntOrString':
      return { $ref: primitiveNames.IntOrString };
    case 'any':
      return {};
  }
  const placed = placements.get(type);
  return placed ? { $ref: placed.name } : {};
}

/** Adds `x-kubernetes-group-version-kind` to top-level kinds and the shared meta kinds. */
function tagKinds(defs: Map<string, Schema>): void {
  const tag = (name: string, gvks: GroupVersionKind[]): void => {
    const schema = defs.get(name);
    if (schema) schema['x-kubernetes-group-version-kind'] = gvks;
  };
  for (const gv of builtinGroupVersions) {
    for (const kind of gv.kinds) {
      tag(`${packageOf(gv.group, gv.version)}.${kind}`, [
        { group: gv.group, version: gv.version, kind },
      ]);
    }
  }
  for (const kind of metaCoreKinds)
    tag(`${metaPackage}.${kind}`, [{ group: '', version: 'v1', kind }]);
  for (const kind of metaPerGroupKinds) {
    tag(
      `${metaPackage}.${kind}`,
      builtinGroupVersions
        .map((gv) => ({ group: gv.group, version: gv.version, kind }))
        .sort((a, b) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version)),
    );
  }
}
