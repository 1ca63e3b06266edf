/**
 * RBAC escalation prevention (upstream's `policybased` RBAC storage), as a validating admission
 * plugin for roles, clusterroles, rolebindings and clusterrolebindings:
 *
 * - Writing a Role or ClusterRole is allowed when the user holds every permission it grants in
 *   that namespace (or cluster-wide), or may `escalate` that resource. Setting or changing a
 *   ClusterRole's aggregationRule needs every permission (`*` on everything).
 * - Writing a binding is allowed when the user may `bind` the referenced role (in the binding's
 *   namespace), or holds every permission of the referenced role; a binding to a role that does
 *   not exist is refused unless `bind` allows it.
 * - Members of `system:masters`, and writes with no user (the server's own bootstrap and
 *   controllers), are never checked; neither is an update that changes only ownerReferences or
 *   finalizers.
 *
 * Refusals are 403 with upstream's text, e.g. `clusterroles.rbac.authorization.k8s.io "x" is
 * forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions
 * not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`.
 */
import { newForbidden } from '../../../common/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/types.js';
import type { KubeObject } from '../../registry/types.js';
import { rbacGroup } from '../../registry/rbac/rbac.js';
import { deepEqual } from '../../registry/validation/field.js';
import type { Authorizer, PolicyRule } from '../authz/types.js';
import { systemPrivilegedGroup, type UserInfo } from '../user.js';
import type { RBACAuthorizer } from './authorizer.js';
import { compactRules, compactString, covers, quoteList } from './rules.js';

const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export interface EscalationOptions {
  /** The server's authorizer, for the `escalate` and `bind` checks. */
  authorizer: Authorizer;
  /** RBAC, for the user's own rules and the referenced role's rules. */
  rbac: RBACAuthorizer;
  ready?: Promise<void>;
}

/** Upstream `ConfirmNoEscalation`: undefined when `user` holds `rules`, else the message. */
export function confirmNoEscalation(
  rbac: RBACAuthorizer,
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
): string | undefined {
  const owner = rbac.rulesFor(user, namespace);
  const { covered, missing } = covers(owner.rules, rules);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user "${user.username}" (groups=${quoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length > 0) msg += `; resolution errors: [${owner.errors.join(', ')}]`;
  return msg;
}

/** Upstream `IsOnlyMutatingGCFields`: equal but for ownerReferences, finalizers, managedFields. */
function onlyGCFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const meta = { ...(o.metadata ?? {}) };
    for (const k of [
      'ownerReferences',
      'finalizers',
      'resourceVersion',
      'managedFields',
      'generation',
    ])
      delete meta[k];
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(obj), strip(old));
}

export function rbacEscalationPlugin(opts: EscalationOptions): AdmissionPlugin {
  const allowed = (
    user: UserInfo,
    verb: string,
    resource: string,
    namespace: string,
    name: string,
  ) =>
    opts.authorizer.authorize({
      user,
      verb,
      isResourceRequest: true,
      path: '',
      namespace,
      apiGroup: rbacGroup,
      apiVersion: '*',
      resource,
      subresource: '',
      name,
    }).decision === 'Allow';

  return {
    name: 'RBACEscalation',
    async validate(attrs: AdmissionAttributes) {
      const { resource, user, object: obj, oldObject: old } = attrs;
      if (resource.group !== rbacGroup || attrs.subresource !== '' || !user || !obj) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (user.groups.includes(systemPrivilegedGroup)) return;
      if (old && onlyGCFieldsChanged(obj, old)) return;
      if (opts.ready) await opts.ready;
      const gr = { group: rbacGroup, resource: resource.resource };
      const name = attrs.name;
      const ns = attrs.namespace;
      const refuse = (why: string) => newForbidden(gr, name, why);

      if (resource.resource === 'roles' || resource.resource === 'clusterroles') {
        const requestName = attrs.operation === 'CREATE' ? '' : name;
        if (allowed(user, 'escalate', resource.resource, ns, requestName)) return;
        const why = confirmNoEscalation(
          opts.rbac,
          user,
          ns,
          (obj.rules as PolicyRule[] | undefined) ?? [],
        );
        if (why) throw refuse(why);
        const agg = JSON.stringify(obj.aggregationRule ?? null);
        const changedAgg =
          obj.aggregationRule != null && agg !== JSON.stringify(old?.aggregationRule ?? null);
        if (changedAgg && confirmNoEscalation(opts.rbac, user, ns, fullAuthority))
          throw refuse('must have cluster-admin privileges to use the aggregationRule');
        return;
      }
      if (resource.resource === 'rolebindings' || resource.resource === 'clusterrolebindings') {
        const ref = (obj.roleRef ?? {}) as { kind?: string; name?: string };
        const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
        if (allowed(user, 'bind', refResource, ns, ref.name ?? '')) return;
        let rules: PolicyRule[];
        try {
          rules = opts.rbac.roleReferenceRules(ref, ns);
        } catch (err) {
          throw refuse((err as Error).message);
        }
        const why = confirmNoEscalation(opts.rbac, user, ns, rules);
        if (why) throw refuse(why);
      }
    },
  };
}
