/**
 * Table output of custom resources (apiextensions-apiserver pkg/registry/customresource/
 * tableconvertor): a `Name` column, then the version's `additionalPrinterColumns` — or, when it
 * has none, the default `Age` column (`.metadata.creationTimestamp`, a date).
 *
 * Cells, as upstream's convertor fills them from each column's JSONPath (first value reached):
 * - nothing reached → `null`;
 * - `string` columns print the value as client-go's JSONPath does: strings as they are, objects
 *   and arrays as compact JSON with sorted keys, `null` as `<no value>`, other scalars as text;
 * - `integer` → the number truncated to an integer, `number` → the number, `boolean` → the
 *   boolean, each `null` when the value has another type;
 * - `date` → the age of an RFC 3339 timestamp (`5m`, `3d`), `<invalid>` for another string.
 */
import type { KubeObject, ResourceType, TableColumn } from '../registry/index.js';
import { defaultTable, humanDuration } from '../registry/index.js';
import { JSONPath } from './jsonpath.js';
import { canonicalJSON } from './schema/node.js';

/** One `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const [nameColumn, createdColumn] = defaultTable.columns as [TableColumn, TableColumn];

/** Upstream `serveDefaultColumnsIfEmpty`. */
export function columnsOrDefault(columns: readonly PrinterColumn[] | undefined): PrinterColumn[] {
  if (columns && columns.length > 0) return [...columns];
  return [
    {
      name: 'Age',
      type: 'date',
      description: createdColumn.description,
      jsonPath: '.metadata.creationTimestamp',
    },
  ];
}

/** The `ResourceType.table` of a version with these printer columns. */
export function customResourceTable(
  columns: readonly PrinterColumn[] | undefined,
): NonNullable<ResourceType['table']> {
  const cols = columnsOrDefault(columns);
  const paths = cols.map((c) => {
    try {
      return new JSONPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  const definitions: TableColumn[] = [
    nameColumn,
    ...cols.map((c) => ({
      name: c.name,
      type: c.type as TableColumn['type'],
      format: c.format ?? '',
      description:
        c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    cells(obj: KubeObject, ctx: { now: number }): unknown[] {
      const cells: unknown[] = [obj.metadata?.name ?? ''];
      cols.forEach((c, i) => {
        const found = paths[i]?.find(obj) ?? [];
        cells.push(found.length === 0 ? null : cellFor(c.type, found[0], ctx.now));
      });
      return cells;
    },
  };
}

/** A cell for a value reached by a column's path (`cellForJSONValue` and the string printer). */
export function cellFor(type: string, value: unknown, now: number): unknown {
  if (type === 'string') return printString(value);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = parseRFC3339(value);
      if (t === undefined) return '<invalid>';
      return humanDuration(now - t);
    }
    default:
      return null;
  }
}

function printString(value: unknown): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return canonicalJSON(value);
  return String(value);
}

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds of an RFC 3339 timestamp (`metav1.Time.UnmarshalQueryParameter`), or undefined. */
export function parseRFC3339(s: string): number | undefined {
  const m = rfc3339.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}
