/**
 * Shared pieces of upstream's per-type strategies (pkg/registry/<group>/<resource>/strategy.go):
 * the spec/status split, `metadata.generation`, and the default field labels.
 *
 * - {@link statusStrategy}: for types served with a `/status` subresource. Create resets `status`
 *   (to `{}` or a type's initial status) and sets generation 1; an update of the main resource
 *   keeps the stored status and bumps generation only when `spec` changed (semantic equality:
 *   absent, null, `{}` and `[]` are equal); a status update keeps everything but `status` (and
 *   metadata, minus the fields a type resets) and never bumps generation.
 */
import type { KubeObject, ResourceType } from './types.js';
import { deepEqual } from './validation/field.js';

type Hooks = Pick<ResourceType, 'prepareForCreate' | 'prepareForUpdate' | 'prepareForStatusUpdate'>;

/** Options of {@link statusStrategy}. */
export interface StatusStrategyOptions {
  /** Initial status on create; default `undefined` = status removed. */
  initialStatus?: (obj: KubeObject) => Record<string, unknown> | undefined;
  /** Whether the type tracks `metadata.generation` (default true). */
  generation?: boolean;
  /** Top-level fields whose change bumps generation; default `['spec']`. */
  specFields?: string[];
  /** Also bump generation when annotations change (upstream Deployments). */
  annotationsBumpGeneration?: boolean;
  /** Metadata fields a `/status` update may not change (kept from the stored object). */
  statusUpdateKeepsMetadata?: Array<'labels' | 'annotations' | 'ownerReferences' | 'finalizers'>;
  /** Extra work after the generic create preparation (e.g. pod QOS class). */
  afterCreate?: (obj: KubeObject) => void;
}

/** Hooks for a type with a `/status` subresource. */
export function statusStrategy(opts: StatusStrategyOptions = {}): Hooks {
  const tracksGeneration = opts.generation ?? true;
  const specFields = opts.specFields ?? ['spec'];
  return {
    prepareForCreate(obj) {
      const status = opts.initialStatus?.(obj);
      if (status === undefined) delete obj.status;
      else obj.status = status;
      if (tracksGeneration) (obj.metadata ??= {}).generation = 1;
      opts.afterCreate?.(obj);
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
      if (!tracksGeneration) return;
      const changed =
        specFields.some((f) => !deepEqual(obj[f], old[f])) ||
        (opts.annotationsBumpGeneration === true &&
          !deepEqual(obj.metadata?.annotations, old.metadata?.annotations));
      const oldGen = old.metadata?.generation ?? 0;
      (obj.metadata ??= {}).generation = changed ? oldGen + 1 : oldGen;
    },
    prepareForStatusUpdate(obj, old) {
      keepAllButStatus(obj, old);
      const meta = (obj.metadata ??= {}) as Record<string, unknown>;
      for (const f of opts.statusUpdateKeepsMetadata ?? []) {
        if (old.metadata?.[f] === undefined) delete meta[f];
        else meta[f] = structuredClone(old.metadata[f]);
      }
      if (old.metadata?.generation !== undefined) meta.generation = old.metadata.generation;
    },
  };
}

/**
 * Hooks for a type without `/status` that still tracks generation on spec changes (e.g.
 * NetworkPolicy, PodTemplate use none; StorageClass none). Provided for types that upstream gives a
 * generation without a status split.
 */
export function generationOnlyStrategy(specFields: string[] = ['spec']): Hooks {
  return {
    prepareForCreate(obj) {
      (obj.metadata ??= {}).generation = 1;
    },
    prepareForUpdate(obj, old) {
      const changed = specFields.some((f) => !deepEqual(obj[f], old[f]));
      const oldGen = old.metadata?.generation ?? 0;
      (obj.metadata ??= {}).generation = changed ? oldGen + 1 : oldGen;
    },
  };
}

/** Replaces every top-level field of `obj` but `metadata`, `status`, `apiVersion`, `kind` by `old`'s. */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  for (const k of Object.keys(obj)) {
    if (!isKept(k) && !(k in old)) delete obj[k];
  }
  for (const [k, v] of Object.entries(old)) {
    if (!isKept(k)) obj[k] = structuredClone(v);
  }
}

function isKept(k: string): boolean {
  return k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind';
}

/**
 * Upstream's default selectable fields (`generic.ObjectMetaFieldsSet`): `metadata.name`, plus
 * `metadata.namespace` for namespaced types.
 */
export function metaFieldLabels(obj: KubeObject, namespaced: boolean): Record<string, string> {
  const out: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
  if (namespaced) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
  return out;
}

/** Ensures a nested object exists and returns it: `ensure(obj, 'spec', 'template')`. */
export function ensure(obj: Record<string, unknown>, ...path: string[]): Record<string, unknown> {
  let cur = obj;
  for (const k of path) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  return cur;
}

/** Sets `obj[key] = value` when the key is absent or null. */
export function setDefault<T>(obj: Record<string, unknown>, key: string, value: T): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}
