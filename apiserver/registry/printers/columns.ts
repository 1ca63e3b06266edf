/**
 * Building blocks of upstream's printers (pkg/printers/internalversion/printers.go): the common
 * Name/Age columns, the default table for types without custom columns, and small formatters.
 * Server-side tables always carry the `-o wide` columns (priority 1), as upstream's
 * TableConvertor generates with `Wide: true`.
 */
import type { KubeObject, ResourceType, TableColumn } from '../types.js';
import { translateTimestampSince } from './duration.js';

/** `metav1.ObjectMeta{}.SwaggerDoc()["name"]`, shortened to its first sentences. */
export const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** `metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]`. */
export const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The `Name` column (format `name`). */
export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: nameDescription,
  priority: 0,
};

/** The `Age` column. */
export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  format: '',
  description: creationTimestampDescription,
  priority: 0,
};

/** A string column; `wide` puts it at priority 1. */
export function col(
  name: string,
  description = '',
  opts: { wide?: boolean; type?: TableColumn['type']; format?: string } = {},
): TableColumn {
  return {
    name,
    type: opts.type ?? 'string',
    format: opts.format ?? '',
    description,
    priority: opts.wide ? 1 : 0,
  };
}

/** `metadata.name`. */
export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** The Age cell. */
export function ageOf(obj: KubeObject, now: number): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

/**
 * The table of types without custom printers (upstream's default TableConvertor): Name and
 * `Created At` (a date).
 */
export const defaultTable: NonNullable<ResourceType['table']> = {
  columns: [
    nameColumn,
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: creationTimestampDescription,
      priority: 0,
    },
  ],
  cells: (obj) => [nameOf(obj), createdAt(obj)],
};

/** `obj.CreationTimestamp.UTC().Format(time.RFC3339)`. */
export function createdAt(obj: KubeObject): string {
  const ts = obj.metadata?.creationTimestamp;
  if (!ts) return '0001-01-01T00:00:00Z';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? ts : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Containers / Images cells of workload printers (`layoutContainerCells`). */
export function containersAndImages(podSpec: unknown): [string, string] {
  const containers = ((podSpec as { containers?: Array<{ name?: string; image?: string }> })
    ?.containers ?? []) as Array<{ name?: string; image?: string }>;
  return [
    containers.map((c) => c.name ?? '').join(','),
    containers.map((c) => c.image ?? '').join(','),
  ];
}

/** Reads a nested field, e.g. `get(obj, 'spec', 'replicas')`. */
export function get<T = unknown>(obj: unknown, ...path: string[]): T | undefined {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur as T | undefined;
}

/** An integer field or 0 (Go's zero value). */
export function int(obj: unknown, ...path: string[]): number {
  const v = get(obj, ...path);
  return typeof v === 'number' ? v : 0;
}

/** A string field or '' (Go's zero value). */
export function str(obj: unknown, ...path: string[]): string {
  const v = get(obj, ...path);
  return typeof v === 'string' ? v : '';
}

/** `<none>` for an empty string. */
export function orNone(s: string | undefined): string {
  return s ? s : '<none>';
}
