/**
 * Field paths as structured-merge-diff (`sigs.k8s.io/structured-merge-diff/fieldpath`) models
 * them: a path is a list of elements, each selecting a struct field or map key (`f:`), an
 * associative-list item by its key fields (`k:`), a set item by value (`v:`) or an atomic-list
 * item by index (`i:`).
 *
 * Elements have a total order (fields < keys < values < indexes; values ordered numbers <
 * strings < booleans < lists < maps < null) which fixes the key order of serialized `fieldsV1`
 * and the order conflicts are reported in, byte for byte as upstream.
 */

/** One path element. Exactly one member is set. */
export type PathElement =
  { field: string } | { key: [string, unknown][] } | { value: unknown } | { index: number };

export type Path = PathElement[];

/** A key path element; fields are sorted by name as upstream's `KeyByFields` does. */
export function keyElement(fields: [string, unknown][]): PathElement {
  return { key: [...fields].sort((a, b) => compareStrings(a[0], b[0])) };
}

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

/** The total order of path elements. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a) return compareStrings(a.field, (b as { field: string }).field);
  if ('key' in a) return compareFieldLists(a.key, (b as { key: [string, unknown][] }).key);
  if ('value' in a) return compareValues(a.value, (b as { value: unknown }).value);
  return Math.sign(a.index - (b as { index: number }).index);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFieldLists(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = compareStrings(a[i][0], b[i][0]) || compareValues(a[i][1], b[i][1]);
    if (c !== 0) return c;
  }
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** upstream `value.Compare`: a total order over JSON values. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return Math.sign(la.length - lb.length);
    }
    case 4: {
      const ka = Object.keys(a as object).sort(compareStrings);
      const kb = Object.keys(b as object).sort(compareStrings);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c =
          compareStrings(ka[i], kb[i]) ||
          compareValues(
            (a as Record<string, unknown>)[ka[i]],
            (b as Record<string, unknown>)[kb[i]],
          );
        if (c !== 0) return c;
      }
      return Math.sign(ka.length - kb.length);
    }
    default:
      return 0;
  }
}

const serialized = new WeakMap<PathElement, string>();

/**
 * The `fieldsV1` key of an element: `f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`. Memoized per
 * element object (elements are immutable once built).
 */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  let s = serialized.get(pe);
  if (s === undefined) {
    if ('key' in pe) s = `k:${JSON.stringify(Object.fromEntries(pe.key))}`;
    else if ('value' in pe) s = `v:${JSON.stringify(pe.value)}`;
    else s = `i:${pe.index}`;
    serialized.set(pe, s);
  }
  return s;
}

/** Parses a `fieldsV1` key; undefined for an unknown prefix (upstream ignores those). */
export function deserializePathElement(s: string): PathElement | undefined {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const obj = JSON.parse(body) as Record<string, unknown>;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        throw new Error(`invalid key path element ${JSON.stringify(s)}`);
      }
      return keyElement(Object.entries(obj));
    }
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:': {
      const index = Number(body);
      if (!Number.isInteger(index))
        throw new Error(`invalid index path element ${JSON.stringify(s)}`);
      return { index };
    }
    default:
      return undefined;
  }
}

/** upstream `value.ToString`: strings quoted, lists `[a,b]`, maps `k=v`. */
export function valueToString(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  if (typeof v === 'object') {
    return Object.entries(v as object)
      .map(([k, x]) => `${k}=${valueToString(x)}`)
      .join('');
  }
  return String(v);
}

/** upstream `PathElement.String`: `.name`, `[name="a",port=80]`, `[="x"]`, `[0]`. */
export function pathElementToString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueToString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** upstream `Path.String`: `.spec.containers[name="app"].image`. */
export function pathToString(path: Path): string {
  return path.map(pathElementToString).join('');
}
