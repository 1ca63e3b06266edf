/**
 * Test helpers for admission plugins: an in-memory {@link AdmissionLookup} and an attributes
 * builder over the real built-in resource types.
 */
import { newConflict } from '../../../common/index.js';
import { builtinResourceTypes } from '../../registry/index.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import type { AdmissionLookup } from '../lookup.js';
import type { AdmissionAttributes, AdmissionOperation, UserInfo } from '../types.js';

const types = builtinResourceTypes();

/** The served built-in type of `group/resource` (preferred version first in the catalogue). */
export function typeOf(group: string, resource: string): ResourceType {
  const t = types.find((x) => x.group === group && x.resource === resource);
  if (!t) throw new Error(`no type ${group}/${resource}`);
  return t;
}

/** An in-memory lookup; `objects` is keyed `group/resource/namespace/name`. */
export class FakeLookup implements AdmissionLookup {
  readonly objects = new Map<string, KubeObject>();
  statusWrites = 0;

  add(group: string, resource: string, obj: KubeObject): this {
    const m = obj.metadata ?? {};
    this.objects.set(
      `${group}/${resource}/${m.namespace ?? ''}/${m.name ?? ''}`,
      structuredClone(obj),
    );
    return this;
  }

  async get(gr: { group: string; resource: string }, namespace: string, name: string) {
    const o = this.objects.get(`${gr.group}/${gr.resource}/${namespace}/${name}`);
    return o && structuredClone(o);
  }

  async list(gr: { group: string; resource: string }, namespace: string) {
    const prefix = `${gr.group}/${gr.resource}/${namespace}`;
    return [...this.objects.entries()]
      .filter(([k]) =>
        namespace ? k.startsWith(`${prefix}/`) : k.startsWith(`${gr.group}/${gr.resource}/`),
      )
      .map(([, v]) => structuredClone(v));
  }

  async updateStatus(
    gr: { group: string; resource: string },
    namespace: string,
    name: string,
    transform: (current: KubeObject) => KubeObject,
  ) {
    const key = `${gr.group}/${gr.resource}/${namespace}/${name}`;
    const cur = this.objects.get(key);
    if (!cur) throw newConflict(gr, name);
    this.objects.set(key, transform(structuredClone(cur)));
    this.statusWrites++;
  }
}

/** Attributes of a write of `object` (and `oldObject`) to `group/resource`. */
export function attrsFor(
  group: string,
  resource: string,
  operation: AdmissionOperation,
  opts: {
    object?: KubeObject;
    oldObject?: KubeObject;
    namespace?: string;
    subresource?: string;
    user?: UserInfo;
    dryRun?: boolean;
    name?: string;
  } = {},
): AdmissionAttributes {
  const object = opts.object && structuredClone(opts.object);
  return {
    operation,
    resource: typeOf(group, resource),
    subresource: opts.subresource ?? '',
    namespace:
      opts.namespace ?? object?.metadata?.namespace ?? opts.oldObject?.metadata?.namespace ?? '',
    name: opts.name ?? object?.metadata?.name ?? opts.oldObject?.metadata?.name ?? '',
    object,
    oldObject: opts.oldObject,
    dryRun: opts.dryRun ?? false,
    user: opts.user,
  };
}

/** A minimal valid pod in `ns` with one container per name. */
export function pod(name: string, spec: Record<string, unknown> = {}, ns = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
  };
}
