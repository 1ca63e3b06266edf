/**
 * The discovery documents, built from the {@link TypeRegistry} on every request (cheap: a few
 * hundred entries) so types added at run time appear at once.
 *
 * Legacy: `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<g>` (APIGroup), `/api/v1` and
 * `/apis/<g>/<v>` (APIResourceList, subresources as `pods/status`). Aggregated (KEP-3352): the
 * same `/api` and `/apis` answer an `APIGroupDiscoveryList` (apidiscovery.k8s.io v2 or v2beta1, same
 * shape) when the client's Accept header asks for it.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../registry/types.js';
import {
  groupVersionString,
  storageApiVersion,
  type GroupVersions,
  type TypeRegistry,
} from '../server/typeregistry.js';
import { resourceVerbs, subresourceInfo } from './subresources.js';

/** `serverAddressByClientCIDRs` for an address the server listens on. */
function serverAddresses(address: string): unknown[] {
  return [{ clientCIDR: '0.0.0.0/0', serverAddress: address }];
}

export function apiVersions(address: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: serverAddresses(address),
  };
}

function apiGroup(gv: GroupVersions): unknown {
  const versions = gv.versions.map((v) => ({
    groupVersion: groupVersionString(gv.group, v),
    version: v,
  }));
  return { name: gv.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: TypeRegistry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map(apiGroup),
  };
}

/** `/apis/<group>`; undefined when the group is not served. */
export function apiGroupDocument(registry: TypeRegistry, group: string): unknown {
  const gv = registry.groups().find((g) => g.group === group && group !== '');
  if (!gv) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(gv) as object) };
}

/** `storageVersionHash`: base64 of the first 8 bytes of sha256("group/version/kind"). */
function storageVersionHash(type: ResourceType): string {
  const gv = storageApiVersion(type);
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  return createHash('sha256')
    .update(`${group}/${version}/${type.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** `/api/v1`, `/apis/<g>/<v>`; undefined when the group/version is not served. */
export function apiResourceList(
  registry: TypeRegistry,
  group: string,
  version: string,
): unknown | undefined {
  const types = registry.resourcesOf(group, version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singularName,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: resourceVerbs(t),
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories?.length ? { categories: t.categories } : {}),
      storageVersionHash: storageVersionHash(t),
    });
    for (const sub of [...(t.subresources ?? [])].sort()) {
      const info = subresourceInfo(t, sub);
      if (!info) continue;
      resources.push({
        name: `${t.resource}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(info.group !== undefined ? { group: info.group, version: info.version } : {}),
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(group, version),
    resources,
  };
}

function discoveryResource(t: ResourceType): unknown {
  const subresources = [...(t.subresources ?? [])]
    .sort()
    .map((sub) => {
      const info = subresourceInfo(t, sub);
      if (!info) return undefined;
      return {
        subresource: sub,
        responseKind: {
          group: info.group ?? t.group,
          version: info.version ?? t.version,
          kind: info.kind,
        },
        verbs: info.verbs,
      };
    })
    .filter((s) => s !== undefined);
  return {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singularName,
    verbs: resourceVerbs(t),
    ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories?.length ? { categories: t.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

/**
 * The aggregated document of the core group (`legacy`, for `/api`) or of every other group (for
 * `/apis`), in apidiscovery.k8s.io `version` (v2 or v2beta1).
 */
export function aggregatedDiscovery(
  registry: TypeRegistry,
  legacy: boolean,
  version: string,
): unknown {
  const items = registry
    .groups()
    .filter((g) => (legacy ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.resourcesOf(g.group, v).map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
