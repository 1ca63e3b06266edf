/**
 * Start-up reconciliation of the bootstrap policy (upstream's `rbac/bootstrap-roles` post-start
 * hook): every bootstrap role and binding is created when missing; an existing one whose
 * `rbac.authorization.kubernetes.io/autoupdate` annotation is not "false" gets what it lacks —
 * missing rules (not for aggregated ClusterRoles, whose rules the aggregation controller owns),
 * missing aggregation selectors, missing subjects, missing labels and annotations. Nothing is ever
 * removed, so an administrator's additions survive restarts. Writes carry no user.
 */
import { isAlreadyExists, isConflict, type Logger } from '../../../../common/index.js';
import type { ApiServer } from '../../../server/server.js';
import type { KubeObject } from '../../../registry/types.js';
import { rbacGroup } from '../../../registry/rbac/rbac.js';
import { deepEqual } from '../../../registry/validation/field.js';
import type { PolicyRule } from '../../authz/types.js';
import { covers } from '../rules.js';
import { autoUpdateAnnotation } from './build.js';
import {
  controllerRoleBindings,
  controllerRoles,
  kuberxRoleBindings,
  kuberxRoles,
} from './controllers.js';
import {
  clusterRoleBindings,
  clusterRoles,
  namespaceRoleBindings,
  namespaceRoles,
} from './policy.js';

const fieldManager = 'kube-apiserver';

/** Every bootstrap object, by resource. */
export function bootstrapPolicy(): Record<
  'clusterroles' | 'clusterrolebindings' | 'roles' | 'rolebindings',
  KubeObject[]
> {
  return {
    clusterroles: [...clusterRoles(), ...controllerRoles(), ...kuberxRoles()],
    clusterrolebindings: [
      ...clusterRoleBindings(),
      ...controllerRoleBindings(),
      ...kuberxRoleBindings(),
    ],
    roles: namespaceRoles(),
    rolebindings: namespaceRoleBindings(),
  };
}

function mergeList<T>(have: T[] | undefined, want: T[] | undefined): T[] {
  const out = [...(have ?? [])];
  for (const w of want ?? []) if (!out.some((h) => deepEqual(h, w))) out.push(w);
  return out;
}

/** The stored object with whatever `desired` adds, or undefined when nothing is missing. */
export function reconcile(existing: KubeObject, desired: KubeObject): KubeObject | undefined {
  const meta = existing.metadata ?? {};
  if (meta.annotations?.[autoUpdateAnnotation] === 'false') return undefined;
  const out = structuredClone(existing);
  out.metadata = {
    ...out.metadata,
    labels: { ...desired.metadata?.labels, ...meta.labels },
    annotations: { ...desired.metadata?.annotations, ...meta.annotations },
  };
  if (desired.kind === 'ClusterRole' || desired.kind === 'Role') {
    if (desired.aggregationRule) {
      const have = (existing.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)
        ?.clusterRoleSelectors;
      const want = (desired.aggregationRule as { clusterRoleSelectors?: unknown[] })
        .clusterRoleSelectors;
      out.aggregationRule = { clusterRoleSelectors: mergeList(have, want) };
    } else {
      const have = (existing.rules as PolicyRule[] | undefined) ?? [];
      const want = (desired.rules as PolicyRule[] | undefined) ?? [];
      if (!covers(have, want).covered) out.rules = mergeList(have, want);
    }
  } else {
    out.subjects = mergeList(
      existing.subjects as unknown[] | undefined,
      desired.subjects as unknown[] | undefined,
    );
  }
  return deepEqual(out, existing) ? undefined : out;
}

/** Creates or tops up every bootstrap object through the server's stores. */
export async function ensureBootstrapPolicy(
  server: Pick<ApiServer, 'store'>,
  logger: Logger,
): Promise<void> {
  for (const [resource, objects] of Object.entries(bootstrapPolicy())) {
    const store = server.store(rbacGroup, 'v1', resource);
    if (!store) throw new Error(`the API server does not serve ${resource}.${rbacGroup}`);
    for (const desired of objects) {
      const ns = desired.metadata?.namespace ?? '';
      const name = desired.metadata?.name ?? '';
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const existing = await store.readCurrent(ns, name);
          if (!existing) {
            await store.create(structuredClone(desired), { namespace: ns, fieldManager });
            break;
          }
          const next = reconcile(existing.obj, desired);
          if (next) {
            await store.update(
              name,
              () => next,
              { namespace: ns, fieldManager },
              { clientPrecondition: true },
            );
            logger.info({ resource, name }, 'reconciled bootstrap RBAC object');
          }
          break;
        } catch (err) {
          if (!isAlreadyExists(err) && !isConflict(err)) throw err;
        }
      }
    }
  }
}
