/**
 * JSON → protobuf → JSON is the identity, per type:
 *
 * - for every served built-in type's catalogue example after defaulting and validation (the
 *   objects the server really stores), and
 * - for an object of every built-in kind with every field its OpenAPI schema has set to a
 *   non-zero value, nested all the way down (so every field number of every reachable message is
 *   written and read back), minus the alpha fields whose field numbers no released
 *   `generated.proto` has yet (listed below).
 */
import { builtinResourceTypes } from '../registry/index.js';
import { examples } from '../registry/testing/examples.js';
import { create } from '../registry/testing/harness.js';
import {
  builtinDefinitions,
  builtinGroupVersions,
  newSchemaSet,
  type Schema,
} from '../schema/index.js';
import { decodeObject, encodeObject } from './index.js';
import { unnumberedSchemaFields } from './table.js';

type Obj = Record<string, unknown>;

function roundTrip(obj: Obj): Obj {
  const type = { apiVersion: obj.apiVersion as string, kind: obj.kind as string };
  return decodeObject(encodeObject(obj), type);
}

const apiVersion = (group: string, version: string) => (group ? `${group}/${version}` : version);

/**
 * Fields the Go types write without `omitempty` that the stored JSON of these examples leaves
 * out: after a trip through protobuf they appear with their zero value, as in upstream's output.
 */
const goZeroFields: Record<string, Obj> = {
  '/v1/Event': { reportingComponent: '', reportingInstance: '' },
  'autoscaling/v1/HorizontalPodAutoscaler': { status: { currentReplicas: 0 } },
};

describe('catalogue examples survive a protobuf round trip', () => {
  const types = builtinResourceTypes();
  test.each(types.map((t) => [`${t.group}/${t.version}/${t.kind}`, t] as const))('%s', (key, t) => {
    const { obj } = create(t, examples[`${t.group}/${t.version}/${t.resource}`]!);
    expect(roundTrip(obj as Obj)).toEqual(merge(obj as Obj, goZeroFields[key] ?? {}));
  });
});

function merge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      cur && typeof cur === 'object' && v && typeof v === 'object'
        ? merge(cur as Obj, v as Obj)
        : v;
  }
  return out;
}

/** Builds an object with every schema field set to a non-zero value. */
class Sampler {
  private readonly defs = builtinDefinitions();
  private n = 0;

  object(name: string, schemaDepth = 0): Obj {
    return this.value({ $ref: name }, schemaDepth) as Obj;
  }

  private value(schema: Schema, schemaDepth: number): unknown {
    const ref = schema.$ref;
    if (ref) {
      const special = this.special(ref, schemaDepth);
      if (special !== undefined) return special;
      return this.value(this.defs.get(ref)!, schemaDepth);
    }
    if (schema.properties) {
      const out: Obj = {};
      for (const [name, prop] of Object.entries(schema.properties)) {
        const topLevel = schema['x-kubernetes-group-version-kind'] !== undefined;
        if (topLevel && (name === 'apiVersion' || name === 'kind')) continue;
        if (
          [...unnumberedSchemaFields].some((f) => f.endsWith(`.${name}`) && this.owns(f, schema))
        ) {
          continue;
        }
        const v = this.value(prop, schemaDepth);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    if (schema.type === 'array') {
      const item = this.value(schema.items!, schemaDepth);
      return item === undefined ? undefined : [item];
    }
    if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
      const v = this.value(schema.additionalProperties, schemaDepth);
      return v === undefined ? undefined : { [`k${++this.n}`]: v };
    }
    switch (schema.type) {
      case 'string':
        return schema.format === 'byte'
          ? Buffer.from(`b${++this.n}`).toString('base64')
          : `s${++this.n}`;
      case 'integer':
        return schema.format === 'int64' ? 1_000_000_000_000 + ++this.n : ++this.n;
      case 'number':
        return ++this.n + 0.5;
      case 'boolean':
        return true;
      case 'object':
        return {};
      default:
        return undefined;
    }
  }

  private owns(field: string, schema: Schema): boolean {
    const name = field.slice(0, field.lastIndexOf('.'));
    return this.defs.get(name) === schema;
  }

  private special(ref: string, schemaDepth: number): unknown {
    const name = ref.slice(ref.lastIndexOf('.') + 1);
    const n = ++this.n;
    switch (ref) {
      case 'io.k8s.apimachinery.pkg.apis.meta.v1.Time':
        return new Date(Date.UTC(2024, 0, 1, 0, 0, n % 60)).toISOString().replace('.000Z', 'Z');
      case 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime':
        return `2024-01-01T00:00:${String(n % 60).padStart(2, '0')}.${String(n).padStart(6, '0')}Z`;
      case 'io.k8s.apimachinery.pkg.api.resource.Quantity':
        return `${n}m`;
      case 'io.k8s.apimachinery.pkg.util.intstr.IntOrString':
        return n % 2 === 0 ? n : `port-${n}`;
      case 'io.k8s.apimachinery.pkg.runtime.RawExtension':
        return { raw: [n, 'x', { nested: true }] };
      case 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1':
        return { 'f:metadata': { 'f:name': {} } };
    }
    if (!ref.startsWith('io.k8s.apiextensions-apiserver.')) return undefined;
    // JSONSchemaProps is recursive: two levels of nesting exercise every field.
    if (name === 'JSONSchemaProps' && schemaDepth >= 2) return { type: 'string' };
    const props = () =>
      this.object(`${ref.slice(0, ref.lastIndexOf('.'))}.JSONSchemaProps`, schemaDepth + 1);
    switch (name) {
      case 'JSON':
        return { v: [n, 'x'] };
      case 'JSONSchemaPropsOrBool':
        return schemaDepth >= 1 ? false : props();
      case 'JSONSchemaPropsOrArray':
        return schemaDepth >= 1 ? [{ type: 'string' }, { type: 'integer' }] : props();
      case 'JSONSchemaPropsOrStringArray':
        return schemaDepth >= 1 ? ['a', 'b'] : props();
      case 'JSONSchemaProps':
        return this.value(this.defs.get(ref)!, schemaDepth + 1);
    }
    return undefined;
  }
}

describe('objects with every field set survive a protobuf round trip', () => {
  const schemas = newSchemaSet();
  const kinds = builtinGroupVersions.flatMap((gv) =>
    gv.kinds.map((kind) => ({ group: gv.group, version: gv.version, kind })),
  );
  test.each(kinds.map((k) => [`${apiVersion(k.group, k.version)} ${k.kind}`, k] as const))(
    '%s',
    (_, k) => {
      const name = schemas.nameForKind(k)!;
      const obj = {
        apiVersion: apiVersion(k.group, k.version),
        kind: k.kind,
        ...new Sampler().object(name),
      };
      expect(roundTrip(obj)).toEqual(obj);
    },
  );
});
