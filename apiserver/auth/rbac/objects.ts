/**
 * The RBAC objects the authorizer reads, indexed for its questions: a Role by namespace and name,
 * a ClusterRole by name, the RoleBindings of one namespace, every ClusterRoleBinding. Objects are
 * frozen and shared; whoever wants to change one copies it. {@link RBACCache} keeps one of these in
 * step with the API server; tests fill one by hand.
 */
import type { KubeObject } from '../../registry/types.js';

export type RBACKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

export const rbacResources: Record<RBACKind, string> = {
  Role: 'roles',
  ClusterRole: 'clusterroles',
  RoleBinding: 'rolebindings',
  ClusterRoleBinding: 'clusterrolebindings',
};

export interface RBACLister {
  getRole(namespace: string, name: string): KubeObject | undefined;
  getClusterRole(name: string): KubeObject | undefined;
  clusterRoles(): Iterable<KubeObject>;
  clusterRoleBindings(): Iterable<KubeObject>;
  roleBindings(namespace: string): Iterable<KubeObject>;
}

type Index = Map<string, Map<string, KubeObject>>;

export class RBACObjects implements RBACLister {
  private readonly byKind: Record<RBACKind, Index> = {
    Role: new Map(),
    ClusterRole: new Map(),
    RoleBinding: new Map(),
    ClusterRoleBinding: new Map(),
  };

  /** Adds or replaces an object (namespace '' for cluster-scoped kinds). */
  put(kind: RBACKind, obj: KubeObject): void {
    const ns = obj.metadata?.namespace ?? '';
    let m = this.byKind[kind].get(ns);
    if (!m) this.byKind[kind].set(ns, (m = new Map()));
    m.set(obj.metadata?.name ?? '', Object.freeze(obj));
  }

  remove(kind: RBACKind, namespace: string, name: string): void {
    this.byKind[kind].get(namespace)?.delete(name);
  }

  /** Replaces every object of `kind` with those of `other`. */
  replace(kind: RBACKind, other: RBACObjects): void {
    this.byKind[kind] = other.byKind[kind];
  }

  getRole(namespace: string, name: string): KubeObject | undefined {
    return this.byKind.Role.get(namespace)?.get(name);
  }

  getClusterRole(name: string): KubeObject | undefined {
    return this.byKind.ClusterRole.get('')?.get(name);
  }

  clusterRoles(): Iterable<KubeObject> {
    return this.byKind.ClusterRole.get('')?.values() ?? [];
  }

  clusterRoleBindings(): Iterable<KubeObject> {
    return this.byKind.ClusterRoleBinding.get('')?.values() ?? [];
  }

  roleBindings(namespace: string): Iterable<KubeObject> {
    return this.byKind.RoleBinding.get(namespace)?.values() ?? [];
  }
}
