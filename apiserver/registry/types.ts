/**
 * The contract between the API server's generic machinery (`apiserver/server`, the generic store,
 * watch cache, patch handling, Table rendering) and the catalogue of resource types
 * (`apiserver/registry/<group>/…`, schemas in `apiserver/openapi`).
 *
 * The generic store owns what is the same for every type, as upstream's `genericregistry.Store` and
 * `rest.BeforeCreate/BeforeUpdate` do: metadata.uid, creationTimestamp, resourceVersion,
 * generateName, managedFields, deletionTimestamp/finalizers, optimistic concurrency, dryRun,
 * storage keys, watch. A {@link ResourceType} supplies what differs per type, as upstream's
 * per-type strategy does: defaulting, spec/status split, generation, validation, printing, field
 * selectors, scale mapping and strategic-merge metadata.
 *
 * Objects are plain JSON objects (`KubeObject`), mutated in place by hooks that say so.
 */
import type { FieldError } from '../../common/index.js';

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** A `metav1.TableColumnDefinition`. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 = shown by default; higher = only with `-o wide`. */
  priority: number;
}

/** The `/scale` subresource mapping (autoscaling/v1 Scale), as CRDs declare it. */
export interface ScaleMapping {
  /** JSON path of the desired replicas, e.g. `.spec.replicas`. */
  specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. `.status.replicas`. */
  statusReplicasPath: string;
  /** JSON path of the label selector string or object, e.g. `.status.selector` or `.spec.selector`. */
  labelSelectorPath?: string;
}

/** Context passed to hooks. */
export interface RequestContext {
  /** Namespace of the request ('' for cluster-scoped). */
  namespace: string;
  /** ISO-8601 time of the request (from the server's Clock), e.g. for timestamps in status. */
  now: string;
}

/**
 * One served resource of one group/version, with its per-type behaviour. Everything optional has
 * a sensible generic default in the generic store (noted on each member).
 */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural lower-case name used in URLs, e.g. `deployments`. */
  resource: string;
  /** e.g. `deployment`. */
  singularName: string;
  kind: string;
  /** Default `${kind}List`. */
  listKind?: string;
  namespaced: boolean;
  shortNames?: string[];
  /** e.g. `['all']`. */
  categories?: string[];
  /** Verbs for discovery; default all of get, list, watch, create, update, patch, delete, deletecollection. */
  verbs?: string[];
  /** Subresources served (`status`, `scale`, `binding`, `eviction`, `finalize`, `token`, …). */
  subresources?: string[];
  /** Present when the type has a `/scale` subresource. */
  scale?: ScaleMapping;
  /**
   * Storage key segment: keys are `/registry/<storagePrefix>/<namespace>/<name>` (or without the
   * namespace). Default: `resource` for the core group, `<group>/<resource>` only for custom
   * resources; upstream exceptions such as `minions` (nodes) and `services/specs` are set here.
   */
  storagePrefix?: string;
  /** Default propagation of a DELETE without `propagationPolicy` (upstream per type). Default `Background`. */
  defaultPropagation?: 'Background' | 'Orphan' | 'Foreground';

  /** Applies upstream defaulting (`SetDefaults_*`) in place, on create, update and patch results. */
  defaults?(obj: KubeObject): void;

  /**
   * Prepares a new object (upstream `PrepareForCreate`): e.g. drop `status` for types whose status
   * is written through `/status`, set `metadata.generation = 1`. Default: generation = 1 when the
   * type has a `status` subresource, status kept otherwise.
   */
  prepareForCreate?(obj: KubeObject, ctx: RequestContext): void;

  /**
   * Prepares an update of the main resource (upstream `PrepareForUpdate`): keep `old.status` when
   * the type has a `/status` subresource, bump `generation` when the spec changed (never on a
   * status-only or metadata-only change).
   */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;

  /** Prepares an update through `/status`: keep everything but `status` (and labels/annotations where upstream allows). */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;

  /** Upstream create validation (after defaulting), including object metadata rules. */
  validateCreate?(obj: KubeObject, ctx: RequestContext): FieldError[];
  /** Upstream update validation: immutable fields, transitions. */
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
  /** Validation of a `/status` update. */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];

  /**
   * Field-selector values of an object, e.g. `{ 'metadata.name': 'x', 'spec.nodeName': 'n1',
   * 'status.phase': 'Running' }`. Only these keys are selectable (others → 400, as upstream).
   * Default: `metadata.name` and `metadata.namespace`.
   */
  fieldLabels?(obj: KubeObject): Record<string, string>;

  /** Table output (kubectl get): upstream's column definitions and one row's cells. */
  table?: {
    columns: TableColumn[];
    cells(obj: KubeObject, ctx: { now: number }): unknown[];
  };

  /** Strategic-merge-patch support: false for types that only accept JSON and merge patches (CRDs). */
  strategicMerge?: boolean;

  /**
   * Upstream `AllowCreateOnUpdate`: a PUT of a missing object creates it (Endpoints, Leases,
   * Nodes, Events, … upstream). Default false: a PUT of a missing object is 404.
   */
  allowCreateOnUpdate?: boolean;

  /**
   * Upstream `AllowUnconditionalUpdate`: a PUT without `metadata.resourceVersion` overwrites
   * whatever is stored. Default true (built-ins); false makes it 422 (custom resources).
   */
  allowUnconditionalUpdate?: boolean;

  /**
   * Objects expire this many seconds after their last write (upstream's storage TTL, e.g. Events
   * with `--event-ttl` = 3600). Absent: objects never expire.
   */
  ttlSeconds?: number;

  /**
   * Present when this version shares its storage with another served version, as upstream stores
   * one version per resource: autoscaling/v1 HorizontalPodAutoscalers are stored as autoscaling/v2,
   * events.k8s.io/v1 Events as core v1 Events. The generic store converts with `fromStorage` on
   * every read (and watch event) and with `toStorage` before every write; all other hooks of this
   * type (defaults, prepare*, validate*, fieldLabels, table) see objects of this type's own
   * version, `old` included. Both functions return new objects and never mutate their argument.
   * Absent: objects are stored as served.
   */
  conversion?: StorageConversion;
}

/** See {@link ResourceType.conversion}. */
export interface StorageConversion {
  /** The apiVersion objects are stored in, e.g. `autoscaling/v2`. */
  storageVersion: string;
  /** From this type's version to the storage version. */
  toStorage(obj: KubeObject): KubeObject;
  /** From the storage version to this type's version. */
  fromStorage(obj: KubeObject): KubeObject;
}
