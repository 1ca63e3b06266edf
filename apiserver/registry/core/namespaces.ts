/**
 * core/v1 namespaces (pkg/registry/core/namespace/strategy.go): the `kubernetes.io/metadata.name`
 * label, phase `Active` and the `kubernetes` finalizer on create; `spec.finalizers` change only
 * through `/finalize` (a plain update keeps the stored ones); `/status` changes only status.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, ageColumn, ageOf, nameColumn, nameOf } from '../printers/columns.js';
import { invalid } from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import {
  nameIsDNSLabel,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { keepAllButStatus } from '../strategy.js';

type Obj = Record<string, unknown>;

/** `v1.LabelMetadataName`. */
export const labelMetadataName = 'kubernetes.io/metadata.name';

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Core's `validateFinalizerName`: qualified, or one of the standard unqualified names. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (!name.includes('/') && !standardFinalizers.has(name)) {
    errs.push(
      invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'),
    );
  }
  return errs;
}

function validateNamespaceSpec(obj: KubeObject): FieldError[] {
  const finalizers = ((obj.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? [];
  return finalizers.flatMap((f) => validateKubeFinalizerName(f, 'spec.finalizers'));
}

function ensureNameLabel(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (name) (obj.metadata!.labels ??= {})[labelMetadataName] = name;
}

export const namespaces: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singularName: 'namespace',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  // Upstream's namespace REST has no DeleteCollection.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'finalize'],
  defaults: ensureNameLabel,
  prepareForCreate(obj) {
    ensureNameLabel(obj);
    obj.status = { phase: 'Active' };
    const spec = ((obj.spec as Obj | undefined) ?? (obj.spec = {})) as Obj;
    const finalizers = (spec.finalizers as string[] | undefined) ?? [];
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    ensureNameLabel(obj);
    obj.spec = structuredClone(old.spec ?? {});
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  },
  prepareForStatusUpdate(obj, old) {
    keepAllButStatus(obj, old);
  },
  validateCreate(obj) {
    return [
      ...validateObjectMeta(obj.metadata, { namespaced: false, nameFn: nameIsDNSLabel }),
      ...validateNamespaceSpec(obj),
    ];
  },
  validateUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const label = obj.metadata?.labels?.[labelMetadataName];
    if (label !== undefined && label !== obj.metadata?.name) {
      errs.push(
        invalid(`metadata.labels[${labelMetadataName}]`, label, 'must match the namespace name'),
      );
    }
    return [...errs, ...validateNamespaceSpec(obj)];
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const phase = (obj.status as Obj | undefined)?.phase;
    if (old.metadata?.deletionTimestamp === undefined && phase === 'Terminating') {
      errs.push(
        invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"),
      );
    } else if (old.metadata?.deletionTimestamp !== undefined && phase !== 'Terminating') {
      errs.push(
        invalid(
          'status.Phase',
          phase,
          'may only be in terminating status if `deletionTimestamp` is not empty',
        ),
      );
    }
    return errs;
  },
  fieldLabels: (obj) => ({
    'metadata.name': obj.metadata?.name ?? '',
    'status.phase': ((obj.status as Obj | undefined)?.phase as string) ?? '',
  }),
  table: {
    columns: [nameColumn, col('Status', 'The status of the namespace'), ageColumn],
    cells: (obj, { now }) => [
      nameOf(obj),
      ((obj.status as Obj | undefined)?.phase as string) ?? '',
      ageOf(obj, now),
    ],
  },
};
