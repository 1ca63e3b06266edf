/**
 * Validation of `x-kubernetes-embedded-resource` values (apiextensions-apiserver
 * pkg/apiserver/schema/objectmeta `Validate`): each needs `apiVersion` and `kind` (non-empty
 * strings; the kind a DNS-1035 label in lower case, the apiVersion a group/version), and its
 * `metadata`, when present, is checked as ObjectMeta with path-segment names (a missing name is
 * fine). Paths are upstream's: `spec.template.apiVersion`, `spec.items[0].kind`.
 */
import type { FieldError } from '../../../common/index.js';
import {
  invalid,
  isDNS1035Label,
  nameIsPathSegment,
  required,
  validateObjectMeta,
  type ObjectMeta,
} from '../../registry/index.js';
import {
  additionalOf,
  isEmbedded,
  isObject,
  itemsOf,
  propertiesOf,
  type JsonObject,
  type SchemaNode,
} from './node.js';

/** Errors of every embedded resource inside `value`. */
export function validateEmbeddedResources(
  schema: SchemaNode | undefined,
  value: unknown,
): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, '', errs);
  return errs;
}

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(s: SchemaNode | undefined, x: unknown, path: string, errs: FieldError[]): void {
  if (!s) return;
  if (isObject(x)) {
    if (isEmbedded(s)) errs.push(...validateEmbedded(x, path));
    const props = propertiesOf(s);
    const additional = additionalOf(s);
    for (const [k, v] of Object.entries(x)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) walk(props[k], v, child(path, k), errs);
      else if (additional !== undefined && additional !== true) {
        walk(additional, v, `${path}[${k}]`, errs);
      }
    }
    return;
  }
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    x.forEach((v, i) => walk(items, v, `${path}[${i}]`, errs));
  }
}

function validateEmbedded(x: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!('apiVersion' in x)) errs.push(required(child(path, 'apiVersion'), 'must not be empty'));
  if (!('kind' in x)) errs.push(required(child(path, 'kind'), 'must not be empty'));
  const apiVersion = x.apiVersion;
  if ('apiVersion' in x) {
    if (typeof apiVersion !== 'string') {
      errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'must be a string'));
    } else if (apiVersion === '') {
      errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'must not be empty'));
    } else if (apiVersion.split('/').length > 2) {
      errs.push(
        invalid(
          child(path, 'apiVersion'),
          apiVersion,
          `unexpected GroupVersion string: ${apiVersion}`,
        ),
      );
    }
  }
  const kind = x.kind;
  if ('kind' in x) {
    if (typeof kind !== 'string') {
      errs.push(invalid(child(path, 'kind'), kind, 'must be a string'));
    } else if (kind === '') {
      errs.push(invalid(child(path, 'kind'), kind, 'must not be empty'));
    } else {
      const msgs = isDNS1035Label(kind.toLowerCase());
      if (msgs.length) {
        errs.push(
          invalid(
            child(path, 'kind'),
            kind,
            `may have mixed case, but should otherwise match: ${msgs.join(',')}`,
          ),
        );
      }
    }
  }
  if ('metadata' in x) {
    if (!isObject(x.metadata)) {
      errs.push(invalid(child(path, 'metadata'), x.metadata, 'must be an object'));
    } else {
      const meta = { ...(x.metadata as ObjectMeta) };
      if (!meta.name) meta.name = 'fakename';
      errs.push(
        ...validateObjectMeta(meta, {
          namespaced: typeof meta.namespace === 'string' && meta.namespace.length > 0,
          nameFn: nameIsPathSegment,
          path: child(path, 'metadata'),
        }),
      );
    }
  }
  return errs;
}
