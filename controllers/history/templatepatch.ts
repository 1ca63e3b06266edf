/**
 * The data DaemonSet and StatefulSet revisions store (`getPatch` in both controllers, and what
 * `kubectl rollout undo` sends back): a strategic merge patch `{"spec":{"template":{…,"$patch":
 * "replace"}}}` that replaces the owner's pod template with the recorded one.
 */
import type { KubernetesObject } from '../../framework/index.js';
import { canonicalJson } from '../util/index.js';

/** An object with a pod template (DaemonSet, StatefulSet). */
export type TemplatedObject = KubernetesObject & { spec?: { template?: object } };

/** `getPatch`: the revision data recording `obj`'s pod template. */
export function templatePatch(obj: Readonly<TemplatedObject>): {
  spec: { template: Record<string, unknown> };
} {
  const template = structuredClone(obj.spec?.template ?? {}) as Record<string, unknown>;
  template.$patch = 'replace';
  return { spec: { template } };
}

/** `Match`: the revision data records exactly `obj`'s current template. */
export function templateMatches(obj: Readonly<TemplatedObject>, data: unknown): boolean {
  return canonicalJson(templatePatch(obj)) === canonicalJson(data ?? null);
}

/**
 * `ApplyRevision`: a copy of `obj` whose pod template is the one recorded in `data` (the patch's
 * `$patch: replace` template, without the directive). Data without a template leaves it as is.
 */
export function applyTemplatePatch<T extends TemplatedObject>(obj: Readonly<T>, data: unknown): T {
  const clone = structuredClone(obj) as T;
  const recorded = (data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec
    ?.template;
  if (recorded) {
    const { $patch: _directive, ...template } = recorded;
    clone.spec = { ...(clone.spec ?? {}), template: structuredClone(template) };
  }
  return clone;
}
