/**
 * The served resource types, mutable at run time: custom resources are added when their CRD is
 * Established and removed when it is deleted. Lookups are by group/version/resource (the URL),
 * and by storage prefix (several served versions share one stored resource).
 *
 * Contract: {@link TypeRegistry.add} replaces a type with the same group/version/resource;
 * listeners run synchronously after every change, in registration order; `generation` grows on
 * every change (discovery uses it for ETags). Groups and versions come out in discovery order
 * (see `../discovery/versions.ts`).
 */
import type { ResourceType } from '../registry/types.js';
import { compareGroups, compareKubeVersions } from '../discovery/versions.js';
import { storagePrefix as registryRoot } from '../defaults.js';

/** A served group with its versions, preferred first. */
export interface GroupVersions {
  group: string;
  versions: string[];
}

export type RegistryListener = (change: {
  type: 'added' | 'removed';
  resource: ResourceType;
}) => void;

export class TypeRegistry {
  private readonly types = new Map<string, ResourceType>();
  private readonly listeners: RegistryListener[] = [];
  private gen = 0;

  constructor(initial: Iterable<ResourceType> = []) {
    for (const t of initial) this.types.set(gvrKey(t.group, t.version, t.resource), t);
  }

  /** Grows on every change. */
  get generation(): number {
    return this.gen;
  }

  add(type: ResourceType): void {
    this.types.set(gvrKey(type.group, type.version, type.resource), type);
    this.gen++;
    for (const l of [...this.listeners]) l({ type: 'added', resource: type });
  }

  remove(group: string, version: string, resource: string): void {
    const key = gvrKey(group, version, resource);
    const type = this.types.get(key);
    if (!type) return;
    this.types.delete(key);
    this.gen++;
    for (const l of [...this.listeners]) l({ type: 'removed', resource: type });
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: RegistryListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.get(gvrKey(group, version, resource));
  }

  /** Every served version of `group`/`resource`, preferred first. */
  versionsOf(group: string, resource: string): ResourceType[] {
    return this.all()
      .filter((t) => t.group === group && t.resource === resource)
      .sort((a, b) => compareKubeVersions(a.version, b.version));
  }

  /** The preferred version's type for a group/kind (e.g. to resolve an ownerReference). */
  byKind(group: string, kind: string): ResourceType | undefined {
    return this.all()
      .filter((t) => t.group === group && t.kind === kind)
      .sort((a, b) => compareKubeVersions(a.version, b.version))[0];
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Types of one group/version, sorted by resource name. */
  resourcesOf(group: string, version: string): ResourceType[] {
    return this.all()
      .filter((t) => t.group === group && t.version === version)
      .sort((a, b) => (a.resource < b.resource ? -1 : 1));
  }

  /** Served groups in discovery order, each with its versions preferred first. */
  groups(): GroupVersions[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.types.values()) {
      let versions = byGroup.get(t.group);
      if (!versions) byGroup.set(t.group, (versions = new Set()));
      versions.add(t.version);
    }
    return [...byGroup.entries()]
      .sort(([a], [b]) => compareGroups(a, b))
      .map(([group, versions]) => ({ group, versions: [...versions].sort(compareKubeVersions) }));
  }
}

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The segment of a type's storage keys: `/registry/<segment>/…`. */
export function storageSegment(type: ResourceType): string {
  return type.storagePrefix ?? type.resource;
}

/** The key prefix holding every object of the type (`/registry/pods/`), ending in `/`. */
export function resourcePrefix(type: ResourceType): string {
  return `${registryRoot}/${storageSegment(type)}/`;
}

/** The storage key of one object (`/registry/pods/ns/name`, `/registry/minions/name`). */
export function objectKey(type: ResourceType, namespace: string, name: string): string {
  return type.namespaced
    ? `${resourcePrefix(type)}${namespace}/${name}`
    : `${resourcePrefix(type)}${name}`;
}

/** The apiVersion objects of the type are stored in. */
export function storageApiVersion(type: ResourceType): string {
  return type.conversion?.storageVersion ?? groupVersionString(type.group, type.version);
}
