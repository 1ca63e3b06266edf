/**
 * Alternative representations of objects asked for through the Accept header: `meta.k8s.io`
 * Table (kubectl get's columns) and PartialObjectMetadata(List) (metadata-only clients such as
 * the garbage collector).
 *
 * Table columns and cells come from `ResourceType.table`; types without one get upstream's
 * default table (Name, Created At). Rows carry the object per `includeObject`: `Metadata`
 * (default) a PartialObjectMetadata, `Object` the whole object, `None` nothing. On a watch, only
 * the first Table carries column definitions (upstream sets NoHeaders afterwards).
 */
import { newBadRequest } from '../../common/index.js';
import type { KubeObject, ResourceType, TableColumn } from '../registry/types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? '';
  if (v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw newBadRequest(
    `includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`,
  );
}

const defaultColumns: TableColumn[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description:
      'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    priority: 0,
  },
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
    priority: 0,
  },
];

export function tableColumns(type: ResourceType): TableColumn[] {
  return type.table?.columns ?? defaultColumns;
}

function cells(type: ResourceType, obj: KubeObject, now: number): unknown[] {
  if (!type.table) return [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null];
  return type.table.cells(obj, { now });
}

/** `metav1.PartialObjectMetadata` of an object. */
export function partialObjectMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: obj.metadata ?? {},
  };
}

export interface TableOptions {
  /** meta.k8s.io version of the Table (`v1` or `v1beta1`). */
  version: string;
  includeObject: IncludeObject;
  /** Omit columnDefinitions (every watch event but the first). */
  noHeaders?: boolean;
  listMeta?: Record<string, unknown>;
  now: number;
}

export function toTable(type: ResourceType, objects: KubeObject[], o: TableOptions): KubeObject {
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: cells(type, obj, o.now) };
    if (o.includeObject === 'Object') row.object = obj;
    else if (o.includeObject === 'Metadata') row.object = partialObjectMetadata(obj, o.version);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${o.version}`,
    metadata: o.listMeta ?? {},
    columnDefinitions: o.noHeaders ? null : tableColumns(type),
    rows,
  };
}
