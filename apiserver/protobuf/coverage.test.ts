/**
 * The message tables against the server's own schemas (`apiserver/schema`, the 1.36 OpenAPI
 * definitions): every served built-in kind has a message, every built-in definition has one, and
 * each message's fields are exactly the definition's properties (embedded structs flattened,
 * `apiVersion`/`kind` in the envelope) with a compatible JSON shape — string, integer of the
 * same width, boolean, number, bytes, array, map, or a reference to the matching definition.
 */
import { builtinResourceTypes } from '../registry/index.js';
import { builtinDefinitions, builtinGroupVersions, type Schema } from '../schema/index.js';
import { hasProtobuf, lookupMessage, messageKeys } from './index.js';
import { unnumberedSchemaFields, type FieldDescriptor } from './table.js';

const definitions = builtinDefinitions();

/** The schema definition name of a message key. */
function definitionOf(key: string): string {
  const dot = key.lastIndexOf('.');
  const pkg = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const apimachinery: Record<string, string> = {
    'meta.v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
    resource: 'io.k8s.apimachinery.pkg.api.resource',
    intstr: 'io.k8s.apimachinery.pkg.util.intstr',
    runtime: 'io.k8s.apimachinery.pkg.runtime',
    'apiextensions.v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
  };
  return `${apimachinery[pkg] ?? `io.k8s.api.${pkg}`}.${name}`;
}

/** Messages whose JSON is not an object of their fields (see `special.ts`). */
const specialShapes: Record<string, (s: Schema) => boolean> = {
  'meta.v1.Time': (s) => s.$ref === definitionOf('meta.v1.Time'),
  'meta.v1.MicroTime': (s) => s.$ref === definitionOf('meta.v1.MicroTime'),
  'meta.v1.Verbs': (s) => s.type === 'array' && s.items?.type === 'string',
  'authentication.v1.ExtraValue': (s) => s.type === 'array' && s.items?.type === 'string',
  'authorization.v1.ExtraValue': (s) => s.type === 'array' && s.items?.type === 'string',
  'certificates.v1.ExtraValue': (s) => s.type === 'array' && s.items?.type === 'string',
};

const scalarShapes: Record<string, (s: Schema) => boolean> = {
  string: (s) => s.type === 'string' && s.format !== 'byte',
  bytes: (s) => s.type === 'string' && s.format === 'byte',
  bool: (s) => s.type === 'boolean',
  int32: (s) => s.type === 'integer' && s.format === 'int32',
  int64: (s) => s.type === 'integer' && s.format === 'int64',
  double: (s) => s.type === 'number',
};

function valueMatches(f: FieldDescriptor, s: Schema): boolean {
  if (f.scalar) return scalarShapes[f.scalar]!(s);
  const special = specialShapes[f.message!];
  if (special) return special(s);
  return s.$ref === definitionOf(f.message!);
}

function fieldMatches(f: FieldDescriptor, s: Schema): boolean {
  if (f.map) return s.type === 'object' && valueMatches(f, s.additionalProperties as Schema);
  if (f.repeated) return s.type === 'array' && valueMatches(f, s.items!);
  return valueMatches(f, s);
}

/** `json → descriptor` of a message's JSON fields, embedded structs flattened. */
function jsonFields(key: string): Map<string, FieldDescriptor> {
  const out = new Map<string, FieldDescriptor>();
  for (const f of lookupMessage(key)!.fields) {
    if (f.inline) for (const [k, v] of jsonFields(f.message!)) out.set(k, v);
    else out.set(f.json, f);
  }
  return out;
}

describe('every kind the server serves has a protobuf message', () => {
  test.each(builtinResourceTypes().map((t) => [`${t.group}/${t.version} ${t.kind}`, t] as const))(
    '%s',
    (_, t) => {
      const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
      expect(hasProtobuf({ apiVersion, kind: t.kind })).toBe(true);
      expect(hasProtobuf({ apiVersion, kind: t.listKind ?? `${t.kind}List` })).toBe(
        t.verbs === undefined || t.verbs.includes('list'),
      );
    },
  );

  test.each(
    builtinGroupVersions.flatMap((gv) =>
      gv.kinds.map((kind) => [`${gv.group}/${gv.version} ${kind}`, gv.group, gv.version, kind]),
    ),
  )('%s', (_, group, version, kind) => {
    expect(hasProtobuf({ apiVersion: group ? `${group}/${version}` : version, kind })).toBe(true);
  });
});

describe("every message's fields are its schema definition's properties", () => {
  const keys = messageKeys().filter((k) => definitions.has(definitionOf(k)));

  test('the tables describe every built-in definition but the alpha-only ones', () => {
    const described = new Set(keys.map(definitionOf));
    const missing = [...definitions.keys()].filter((name) => !described.has(name));
    expect(missing.sort()).toEqual([
      'io.k8s.api.core.v1.NodeAllocatableResourceClaimStatus',
      'io.k8s.api.core.v1.PodSchedulingGroup',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ShardInfo',
      'io.k8s.apimachinery.pkg.version.Info',
    ]);
  });

  test.each(keys.filter((k) => !k.startsWith('resource.') && !k.startsWith('intstr.')))(
    '%s',
    (key) => {
      const name = definitionOf(key);
      const schema = definitions.get(name)!;
      if (specialShapes[key] || !schema.properties) return expect(schema.properties).toBeFalsy();
      const fields = jsonFields(key);
      const typeMeta = schema['x-kubernetes-group-version-kind'] !== undefined;
      const props = Object.keys(schema.properties).filter(
        (p) =>
          !(typeMeta && (p === 'apiVersion' || p === 'kind')) &&
          !unnumberedSchemaFields.has(`${name}.${p}`),
      );
      expect([...fields.keys()].sort()).toEqual(props.sort());
      const mismatched = [...fields].filter(([p, f]) => !fieldMatches(f, schema.properties![p]!));
      expect(mismatched.map(([p]) => p)).toEqual([]);
    },
  );
});
