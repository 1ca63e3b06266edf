/**
 * Server-preferred resources from discovery (client-go `ServerPreferredResources`): for the core
 * group `v1`, and for every other group its preferred version, each resource that is not a
 * subresource, with its verbs and scope. A group whose document cannot be read is reported in
 * `failedGroups` rather than failing the whole discovery, as upstream's `ErrGroupDiscoveryFailed`.
 */
import { isNotFound, type Kind, type RestClient } from '../../framework/index.js';

export interface DiscoveredResource {
  readonly kind: Kind;
  readonly verbs: readonly string[];
}

export interface Discovery {
  resources: DiscoveredResource[];
  /** Group-versions whose resource list could not be read, with the reason. */
  failedGroups: Map<string, string>;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface ApiGroupList {
  groups?: Array<{ name: string; preferredVersion?: { groupVersion: string; version: string } }>;
}

/** Reads the preferred resources of every group; throws only when `/api` or `/apis` fail. */
export async function serverPreferredResources(rest: RestClient): Promise<Discovery> {
  const out: Discovery = { resources: [], failedGroups: new Map() };
  const groups = await rest.json<ApiGroupList>({ method: 'GET', path: '/apis' });
  const gvs: Array<{ group: string; version: string; path: string }> = [
    { group: '', version: 'v1', path: '/api/v1' },
  ];
  for (const g of groups.groups ?? []) {
    if (!g.preferredVersion) continue;
    gvs.push({
      group: g.name,
      version: g.preferredVersion.version,
      path: `/apis/${g.preferredVersion.groupVersion}`,
    });
  }
  await Promise.all(
    gvs.map(async ({ group, version, path }) => {
      try {
        const list = await rest.json<{ resources?: ApiResource[] }>({ method: 'GET', path });
        for (const r of list.resources ?? []) {
          if (r.name.includes('/')) continue;
          out.resources.push({
            kind: { group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced },
            verbs: r.verbs ?? [],
          });
        }
      } catch (err) {
        // A group removed between the two reads is simply gone.
        if (isNotFound(err)) return;
        out.failedGroups.set(
          group ? `${group}/${version}` : version,
          err instanceof Error ? err.message : String(err),
        );
      }
    }),
  );
  out.resources.sort((a, b) => resourceKey(a.kind).localeCompare(resourceKey(b.kind)));
  return out;
}

/** `group/resource` (`/pods` for the core group). */
export function resourceKey(kind: Pick<Kind, 'group' | 'plural'>): string {
  return `${kind.group}/${kind.plural}`;
}

/** Whether a resource supports every verb of `verbs`. */
export function supportsVerbs(r: DiscoveredResource, verbs: readonly string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}
