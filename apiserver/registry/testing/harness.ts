/**
 * Test helpers for the catalogue: run a type's hooks the way the generic store does (defaults,
 * prepare, validate) without a server, and render field errors as upstream's messages.
 */
import { fieldErrorMessage, type FieldError } from '../../../common/index.js';
import type { KubeObject, RequestContext, ResourceType } from '../types.js';

/** A fixed request context. */
export function ctx(namespace = 'default'): RequestContext {
  return { namespace, now: '2024-01-01T00:00:00Z' };
}

/** Defaults, prepareForCreate and validateCreate, as a create request; returns the object and messages. */
export function create(
  type: ResourceType,
  input: KubeObject,
): { obj: KubeObject; errors: string[]; raw: FieldError[] } {
  const obj = structuredClone(input);
  obj.metadata ??= {};
  if (type.namespaced && obj.metadata.namespace === undefined) obj.metadata.namespace = 'default';
  obj.metadata.uid ??= 'uid-1';
  obj.metadata.creationTimestamp ??= '2024-01-01T00:00:00Z';
  type.defaults?.(obj);
  type.prepareForCreate?.(obj, ctx(obj.metadata.namespace ?? ''));
  const raw = type.validateCreate?.(obj, ctx(obj.metadata.namespace ?? '')) ?? [];
  return { obj, errors: raw.map(fieldErrorMessage), raw };
}

/** Defaults, prepareForUpdate and validateUpdate of `next` against the stored `old`. */
export function update(
  type: ResourceType,
  next: KubeObject,
  old: KubeObject,
): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(next);
  type.defaults?.(obj);
  type.prepareForUpdate?.(obj, old, ctx(old.metadata?.namespace ?? ''));
  const raw = type.validateUpdate?.(obj, old, ctx(old.metadata?.namespace ?? '')) ?? [];
  return { obj, errors: raw.map(fieldErrorMessage) };
}

/** prepareForStatusUpdate and validateStatusUpdate of `next` against the stored `old`. */
export function updateStatus(
  type: ResourceType,
  next: KubeObject,
  old: KubeObject,
): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(next);
  type.prepareForStatusUpdate?.(obj, old, ctx(old.metadata?.namespace ?? ''));
  const raw = type.validateStatusUpdate?.(obj, old, ctx(old.metadata?.namespace ?? '')) ?? [];
  return { obj, errors: raw.map(fieldErrorMessage) };
}

/** A valid pod template with the given labels. */
export function podTemplate(
  labels: Record<string, string> = { app: 'web' },
  image = 'nginx:1.25',
): KubeObject {
  return { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } };
}

/** One table row as column-name → cell, at `now`. */
export function row(
  type: ResourceType,
  obj: KubeObject,
  now = Date.parse('2024-01-01T01:00:00Z'),
): Record<string, unknown> {
  const t = type.table!;
  const cells = t.cells(obj, { now });
  return Object.fromEntries(t.columns.map((c, i) => [c.name, cells[i]]));
}
