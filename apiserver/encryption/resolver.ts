/**
 * The {@link KeyResolver} of a server: which served group/resources are stored under a key, from
 * the type registry's storage prefixes (longest prefix wins; types sharing storage, such as core
 * and events.k8s.io Events, all answer). Rebuilt whenever the registry changes (CRDs come and go).
 */
import type { GroupResource } from '../../common/index.js';
import type { ResourceType } from '../registry/types.js';
import { resourcePrefix } from '../server/typeregistry.js';
import type { KeyResolver } from './storage.js';

export interface RegistrySource {
  readonly generation: number;
  all(): ResourceType[];
}

export function registryResolver(source: () => RegistrySource | undefined): KeyResolver {
  let generation = -1;
  let prefixes: Array<[string, GroupResource[]]> = [];
  return (key) => {
    const registry = source();
    if (!registry) return [];
    if (registry.generation !== generation) {
      const byPrefix = new Map<string, GroupResource[]>();
      for (const t of registry.all()) {
        const p = resourcePrefix(t);
        const list = byPrefix.get(p) ?? [];
        if (!list.some((g) => g.group === t.group && g.resource === t.resource)) {
          list.push({ group: t.group, resource: t.resource });
        }
        byPrefix.set(p, list);
      }
      prefixes = [...byPrefix.entries()].sort((a, b) => b[0].length - a[0].length);
      generation = registry.generation;
    }
    return prefixes.find(([p]) => key.startsWith(p))?.[1] ?? [];
  };
}
