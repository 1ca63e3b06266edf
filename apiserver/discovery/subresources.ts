/**
 * What discovery says about each subresource a type may serve: the kind its requests and
 * responses carry and the verbs it accepts, as kube-apiserver advertises them.
 */
import type { ResourceType } from '../registry/types.js';

export interface SubresourceInfo {
  /** Group/version of the kind when it differs from the parent's (e.g. autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

const getPatchUpdate = ['get', 'patch', 'update'];

/** Discovery facts of `parent/<name>`; undefined for subresources discovery does not list. */
export function subresourceInfo(parent: ResourceType, name: string): SubresourceInfo | undefined {
  switch (name) {
    case 'status':
      return { kind: parent.kind, verbs: getPatchUpdate };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: getPatchUpdate };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'finalize':
      return { kind: parent.kind, verbs: ['update'] };
    case 'token':
      return {
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      };
    case 'ephemeralcontainers':
    case 'resize':
      return { kind: parent.kind, verbs: getPatchUpdate };
    case 'approval':
      return { kind: parent.kind, verbs: getPatchUpdate };
    default:
      return undefined;
  }
}

/** Verbs of a resource: its own list or all eight, sorted as upstream lists them. */
export function resourceVerbs(type: ResourceType): string[] {
  return [
    ...(type.verbs ?? [
      'create',
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ]),
  ].sort();
}
