/**
 * Reads the generated models of @kubernetes/client-node (OpenAPI Generator output of the 1.36
 * spec): each model's `attributeTypeMap` (JSON names, TypeScript types, OpenAPI formats) from its
 * `.js` file, and the descriptions and optionality from the TSDoc of its `.d.ts` file.
 *
 * The files are read synchronously and only when {@link loadClientNodeModels} is called, so the
 * cost (~1,800 small files, tens of milliseconds) is paid by the first schema lookup, not at
 * import. A model whose `.d.ts` is missing simply has no descriptions and no required fields.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One attribute of a generated model. */
export interface ModelAttribute {
  /** The JSON field name (`baseName`). */
  name: string;
  /** The TypeScript type: `string`, `number`, `Array<V1Container>`, `{ [key: string]: string; }`, … */
  type: string;
  /** The OpenAPI format: `int32`, `int64`, `date-time`, `byte`, `int-or-string`, or ''. */
  format: string;
}

/** One generated model class. */
export interface ModelClass {
  className: string;
  attributes: ModelAttribute[];
  description?: string;
  /** Descriptions by JSON field name. */
  fieldDescriptions: Map<string, string>;
  /** JSON field names declared without `?`. */
  required: Set<string>;
}

/** The directory holding client-node's generated models. */
export function clientNodeModelsDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@kubernetes/client-node');
  return join(dirname(entry), 'gen', 'models');
}

/** Loads every generated model class, keyed by class name. */
export function loadClientNodeModels(dir = clientNodeModelsDir()): Map<string, ModelClass> {
  const classes = new Map<string, ModelClass>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.js') || file === 'all.js' || file === 'ObjectSerializer.js') continue;
    const className = file.slice(0, -3);
    const attributes = parseAttributeTypeMap(readFileSync(join(dir, file), 'utf8'), className);
    if (!attributes) continue;
    const dts = join(dir, `${className}.d.ts`);
    const docs = existsSync(dts)
      ? parseDeclarations(readFileSync(dts, 'utf8'), attributes)
      : undefined;
    classes.set(className, {
      className,
      attributes,
      description: docs?.description,
      fieldDescriptions: docs?.fields ?? new Map(),
      required: docs?.required ?? new Set(),
    });
  }
  return classes;
}

/** Extracts `X.attributeTypeMap = [ … ];` from a model's `.js` source. */
export function parseAttributeTypeMap(
  source: string,
  className: string,
): ModelAttribute[] | undefined {
  const marker = `${className}.attributeTypeMap = `;
  const start = source.indexOf(marker);
  if (start < 0) return undefined;
  const end = source.indexOf('];', start);
  if (end < 0) return undefined;
  const literal = source.slice(start + marker.length, end + 1);
  const entries = JSON.parse(literal) as { baseName: string; type: string; format: string }[];
  return entries.map((e) => ({ name: e.baseName, type: e.type, format: e.format }));
}

/**
 * Reads the class and field TSDoc of a model's `.d.ts`. Fields are matched by the TypeScript
 * property name, which is the JSON name for every model except renamed keywords (`_default`);
 * `attributes` maps those back.
 */
export function parseDeclarations(
  source: string,
  attributes: ModelAttribute[] = [],
): { description?: string; fields: Map<string, string>; required: Set<string> } {
  const fields = new Map<string, string>();
  const required = new Set<string>();
  let description: string | undefined;
  let pendingDoc: string[] | undefined;
  let inDoc = false;
  let docLines: string[] = [];
  let inClass = false;
  const known = new Set(attributes.map((a) => a.name));
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (inDoc) {
      if (line.startsWith('*/')) {
        inDoc = false;
        pendingDoc = docLines;
        continue;
      }
      docLines.push(line.replace(/^\*\s?/, ''));
      continue;
    }
    if (line.startsWith('/**')) {
      inDoc = true;
      docLines = [];
      continue;
    }
    if (!inClass && line.startsWith('export declare class ')) {
      inClass = true;
      if (pendingDoc) description = joinDoc(pendingDoc);
      pendingDoc = undefined;
      continue;
    }
    const prop = inClass ? /^'([^']+)'(\?)?:/.exec(line) : null;
    if (prop) {
      const tsName = prop[1];
      const name = tsName.startsWith('_') && !known.has(tsName) ? tsName.slice(1) : tsName;
      const doc = pendingDoc && joinDoc(pendingDoc);
      if (doc) fields.set(name, doc);
      if (!prop[2]) required.add(name);
      pendingDoc = undefined;
    } else if (line !== '' && !line.startsWith('[key') && !line.startsWith('}')) {
      pendingDoc = undefined;
    }
  }
  return { description, fields, required };
}

function joinDoc(lines: string[]): string | undefined {
  const text = lines
    .join('\n')
    .trim()
    .replace(/\\(['"\\])/g, '$1');
  return text === '' ? undefined : text;
}
