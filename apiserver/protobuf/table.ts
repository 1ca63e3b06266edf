/**
 * The project-owned description of the Kubernetes protobuf messages, and its lookup.
 *
 * Each message is one string (`messages/*.ts`): fields separated by spaces, each written
 * `json=number:type` followed by flags.
 *
 * - `json` is the field's JSON name (the Go `json` tag, as the OpenAPI schema spells it), which
 *   differs from the proto name in a few places (`aPIGroup` → `apiGroup`, `Webhooks` →
 *   `webhooks`).
 * - `number` is the protobuf field number.
 * - `type` is a scalar (`string bool int32 int64 double bytes`), a message of the same package
 *   (`PodSpec`) or of another (`meta.v1.ObjectMeta`, `resource.Quantity`), or `{T}` for a map
 *   from string to `T`; `[]` appended marks a repeated field.
 * - Flags of scalars, which carry the Go JSON semantics the wire format does not: `?` a pointer
 *   (present on the wire ⇒ in the JSON, even when zero, e.g. `replicas: 0`); `!` no `omitempty`
 *   (always in the JSON, the zero value when absent); neither: `omitempty` (a zero value is left
 *   out). `~` marks an embedded struct whose fields sit in the parent's JSON object
 *   (`ConfigMapKeySelector.name` lives in the embedded `LocalObjectReference`).
 *
 * Message fields are in the JSON exactly when present on the wire; repeated fields and maps when
 * non-empty. Sources (interoperability facts, written down once, never read at runtime): field
 * numbers and types of upstream's `generated.proto` files (k8s.io/api, apimachinery,
 * apiextensions-apiserver) as compiled into kubectl 1.33, plus the fields added since from the
 * newer upstream files; JSON names, pointers and `omitempty` from the Go struct tags and types of
 * the same release. MutatingAdmissionPolicy (v1 since 1.34) uses its v1alpha1 layout, which
 * promotion keeps. Lookups parse a message's string on first use and cache it; the tables are
 * never changed at runtime. `coverage.test.ts` checks them against the server's schemas.
 */
import { packages } from './messages/index.js';

/** One package's messages: name → field list in the notation above. */
export type PackageTable = Readonly<Record<string, string>>;

export type ScalarType =
  'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float' | 'bytes';

/** How a scalar field's value maps to JSON presence (see the module comment). */
export type Presence = 'pointer' | 'always' | 'omitempty';

export interface FieldDescriptor {
  /** JSON name. */
  json: string;
  number: number;
  /** Set for scalar fields (and maps of scalars: the value type). */
  scalar?: ScalarType;
  /** Set for message fields (and maps of messages): the message key, e.g. `core.v1.PodSpec`. */
  message?: string;
  repeated: boolean;
  /** A map from string to the scalar or message type. */
  map: boolean;
  presence: Presence;
  /** An embedded struct: its fields are the parent's JSON fields. */
  inline: boolean;
}

export interface MessageDescriptor {
  /** `package.Name`, e.g. `apps.v1.Deployment`. */
  key: string;
  /** In field-number order (the order gogo-protobuf writes them). */
  fields: readonly FieldDescriptor[];
  byNumber: ReadonlyMap<number, FieldDescriptor>;
}

/**
 * Fields of the built-in schemas (1.36) that no stored upstream `generated.proto` numbers yet
 * (alpha fields): the tables cannot describe them, so protobuf clients neither send nor receive
 * them. Named `<definition>.<field>`.
 */
export const unnumberedSchemaFields: ReadonlySet<string> = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta.shardInfo',
  'io.k8s.api.core.v1.PodSpec.schedulingGroup',
  'io.k8s.api.core.v1.PodStatus.nodeAllocatableResourceClaimStatuses',
]);

const scalars: ReadonlySet<string> = new Set([
  'string',
  'bool',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'double',
  'float',
  'bytes',
]);

const cache = new Map<string, MessageDescriptor | null>();

/** The message with this key (`core.v1.Pod`, `meta.v1.Status`), or undefined. */
export function lookupMessage(key: string): MessageDescriptor | undefined {
  let desc = cache.get(key);
  if (desc === undefined) {
    desc = parseMessage(key);
    cache.set(key, desc);
  }
  return desc ?? undefined;
}

/** Every message key the tables describe. */
export function messageKeys(): string[] {
  return Object.entries(packages).flatMap(([pkg, table]) =>
    Object.keys(table).map((name) => `${pkg}.${name}`),
  );
}

/** The package key of a group/version: `core.v1`, `apps.v1`, `rbac.v1`, `meta.v1`. */
export function packageOf(group: string, version: string): string {
  return `${group === '' ? 'core' : group.split('.')[0]}.${version}`;
}

/**
 * The message of a top-level kind named by `apiVersion` and `kind`, or undefined. Kinds of
 * `meta.k8s.io` (Status, DeleteOptions, WatchEvent, …) are also found under any other
 * apiVersion, as upstream registers them in every group version.
 */
export function messageForKind(apiVersion: string, kind: string): MessageDescriptor | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!kind || !version) return undefined;
  const own = lookupMessage(`${packageOf(group, version)}.${kind}`);
  if (own) return own;
  return metaKinds.has(kind) ? lookupMessage(`meta.v1.${kind}`) : undefined;
}

const metaKinds: ReadonlySet<string> = new Set([
  'Status',
  'DeleteOptions',
  'WatchEvent',
  'PartialObjectMetadata',
  'PartialObjectMetadataList',
]);

function parseMessage(key: string): MessageDescriptor | null {
  const dot = key.lastIndexOf('.');
  const pkg = key.slice(0, dot);
  const spec = packages[pkg]?.[key.slice(dot + 1)];
  if (spec === undefined) return null;
  const fields = spec
    .split(' ')
    .filter(Boolean)
    .map((token) => parseField(pkg, token, key))
    .sort((a, b) => a.number - b.number);
  return { key, fields, byNumber: new Map(fields.map((f) => [f.number, f])) };
}

function parseField(pkg: string, token: string, key: string): FieldDescriptor {
  const m = /^([^=]+)=(\d+):(\{)?([A-Za-z0-9.]+)\}?(\[\])?([?!~]*)$/.exec(token);
  if (!m) throw new Error(`protobuf table: bad field "${token}" in ${key}`);
  const [, json, number, map, type, repeated, flags] = m;
  const field: FieldDescriptor = {
    json: json!,
    number: Number(number),
    repeated: repeated !== undefined,
    map: map !== undefined,
    presence: flags!.includes('?') ? 'pointer' : flags!.includes('!') ? 'always' : 'omitempty',
    inline: flags!.includes('~'),
  };
  if (scalars.has(type!)) field.scalar = type as ScalarType;
  else field.message = type!.includes('.') ? type! : `${pkg}.${type!}`;
  return field;
}
