/**
 * A stop-gap while kuberx's API server has no CRD controller: it turns a CustomResourceDefinition
 * into the API server's `ResourceType`s (one per served version) so the server's own generic
 * machinery serves the custom resources — CRUD, lists, watches, `status` and `scale`
 * subresources, `default`s from the schema. It does not validate against the schema and does not
 * set the CRD's `Established` condition. `startTestEnv` uses it only when the server does not start
 * serving an installed CRD by itself.
 */
import type { ResourceType } from '../../apiserver/index.js';
import type { CustomResourceDefinition } from '../client/index.js';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  default?: unknown;
  type?: string;
};

export function resourceTypesForCRD(crd: CustomResourceDefinition): ResourceType[] {
  const spec = crd.spec;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const schema = v.schema?.openAPIV3Schema as Schema | undefined;
      const subresources: string[] = [];
      if (v.subresources?.status) subresources.push('status');
      if (v.subresources?.scale) subresources.push('scale');
      return {
        group: spec.group,
        version: v.name,
        resource: spec.names.plural,
        singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
        kind: spec.names.kind,
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        namespaced: spec.scope === 'Namespaced',
        shortNames: spec.names.shortNames,
        categories: spec.names.categories,
        subresources,
        scale: v.subresources?.scale
          ? {
              specReplicasPath: v.subresources.scale.specReplicasPath,
              statusReplicasPath: v.subresources.scale.statusReplicasPath,
              labelSelectorPath: v.subresources.scale.labelSelectorPath,
            }
          : undefined,
        strategicMerge: false,
        allowUnconditionalUpdate: false,
        defaults: schema ? (obj) => applyDefaults(obj, schema) : undefined,
      } satisfies ResourceType;
    });
}

/** Fills in `default`s of the structural schema (objects only, as the apiserver prunes/defaults). */
function applyDefaults(value: unknown, schema: Schema): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (obj[key] === undefined && sub.default !== undefined)
      obj[key] = structuredClone(sub.default);
    if (obj[key] !== undefined) applyDefaults(obj[key], sub);
  }
}
