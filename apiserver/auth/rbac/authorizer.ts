/**
 * The RBAC authorizer and rule resolver (upstream `plugin/pkg/auth/authorizer/rbac`): a request
 * is allowed when some rule of some role bound to its user allows it. ClusterRoleBindings apply
 * everywhere; RoleBindings only in their namespace (to a Role of that namespace or a ClusterRole).
 *
 * RBAC never denies: without a matching rule the decision is NoOpinion, with a reason only when a
 * binding referred to a role that does not exist (`RBAC: clusterrole.rbac.authorization.k8s.io
 * "x" not found`), as upstream. Evaluation reads only the in-memory {@link RBACLister}.
 */
import type { KubeObject } from '../../registry/types.js';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
  PolicyRule,
  RuleResolver,
} from '../authz/types.js';
import type { UserInfo } from '../user.js';
import type { RBACLister } from './objects.js';
import { appliesTo, ruleAllows, type Subject } from './rules.js';

/** Where a rule came from, for `allowed by …` reasons. */
interface RuleSource {
  binding: KubeObject;
  subject: Subject;
}

type Visitor = (
  source: RuleSource | undefined,
  rule: PolicyRule | undefined,
  err?: string,
) => boolean;

function subjectsOf(binding: KubeObject): Subject[] {
  return (binding.subjects as Subject[] | undefined) ?? [];
}

function describe(source: RuleSource): string {
  const b = source.binding;
  const ref = (b.roleRef ?? {}) as { kind?: string; name?: string };
  const ns = b.metadata?.namespace;
  const binding = ns
    ? `RoleBinding "${b.metadata?.name}" of ${ref.kind} "${ref.name}" in namespace "${ns}"`
    : `ClusterRoleBinding "${b.metadata?.name}" of ${ref.kind} "${ref.name}"`;
  const s = source.subject;
  const who =
    s.kind === 'ServiceAccount'
      ? `ServiceAccount "${s.namespace || ns || ''}/${s.name}"`
      : `${s.kind} "${s.name}"`;
  return `${binding} to ${who}`;
}

export class RBACAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly lister: RBACLister) {}

  authorize(attrs: Attributes): AuthorizationResult {
    let allowedBy: RuleSource | undefined;
    const errors: string[] = [];
    this.visitRulesFor(attrs.user, attrs.namespace, (source, rule, err) => {
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (allowedBy) return { decision: 'Allow', reason: `RBAC: allowed by ${describe(allowedBy)}` };
    const reason =
      errors.length === 0
        ? ''
        : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
    return { decision: 'NoOpinion', reason };
  }

  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_s, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    });
    return { rules, errors };
  }

  /** The rules a binding's roleRef points at (upstream `GetRoleReferenceRules`); throws a message. */
  roleReferenceRules(roleRef: { kind?: string; name?: string }, namespace: string): PolicyRule[] {
    switch (roleRef.kind) {
      case 'Role': {
        const role = this.lister.getRole(namespace, roleRef.name ?? '');
        if (!role) throw new Error(`role.rbac.authorization.k8s.io "${roleRef.name}" not found`);
        return (role.rules as PolicyRule[] | undefined) ?? [];
      }
      case 'ClusterRole': {
        const role = this.lister.getClusterRole(roleRef.name ?? '');
        if (!role)
          throw new Error(`clusterrole.rbac.authorization.k8s.io "${roleRef.name}" not found`);
        return (role.rules as PolicyRule[] | undefined) ?? [];
      }
      default:
        throw new Error(`unsupported role reference kind: "${roleRef.kind ?? ''}"`);
    }
  }

  /** Upstream `VisitRulesFor`: cluster bindings first, then the namespace's; stops when told. */
  private visitRulesFor(user: UserInfo, namespace: string, visit: Visitor): void {
    const walk = (bindings: Iterable<KubeObject>, ns: string): boolean => {
      for (const b of bindings) {
        const subjects = subjectsOf(b);
        const i = appliesTo(user, subjects, ns);
        if (i < 0) continue;
        let rules: PolicyRule[];
        try {
          rules = this.roleReferenceRules(
            (b.roleRef ?? {}) as { kind?: string; name?: string },
            ns,
          );
        } catch (err) {
          if (!visit(undefined, undefined, (err as Error).message)) return false;
          continue;
        }
        const source = { binding: b, subject: subjects[i]! };
        for (const r of rules) if (!visit(source, r)) return false;
      }
      return true;
    };
    if (!walk(this.lister.clusterRoleBindings(), '')) return;
    if (namespace) walk(this.lister.roleBindings(namespace), namespace);
  }
}
