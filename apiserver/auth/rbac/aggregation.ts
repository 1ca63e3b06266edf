/**
 * The ClusterRole aggregation controller (upstream `clusterroleaggregation`), run inside the API
 * server: a ClusterRole with an `aggregationRule` gets as `rules` the union of the rules of every
 * other ClusterRole matching any of its `clusterRoleSelectors`, in selector order, then by role
 * name, without duplicates. It writes only when the union differs from what is stored, so it
 * settles; it reacts to every ClusterRole change the RBAC cache sees, coalescing bursts into one
 * pass. Writes carry no user (the server's own), so escalation checks do not apply.
 */
import {
  isConflict,
  isNotFound,
  labelSelectorFromObject,
  type Logger,
} from '../../../common/index.js';
import type { GenericStore } from '../../registry/generic/store.js';
import type { KubeObject } from '../../registry/types.js';
import { deepEqual } from '../../registry/validation/field.js';
import type { PolicyRule } from '../authz/types.js';
import type { RBACCache } from './cache.js';
import type { RBACLister } from './objects.js';

export const aggregationFieldManager = 'clusterrole-aggregation-controller';

/** A rule without empty lists (upstream compares semantically: nil == empty). */
function normalise(r: PolicyRule): PolicyRule {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r))
    if (Array.isArray(v) && v.length > 0) out[k] = v as string[];
  return out as unknown as PolicyRule;
}

/** The rules `role` should hold: the union over its selectors (upstream `syncClusterRole`). */
export function aggregatedRules(role: KubeObject, lister: RBACLister): PolicyRule[] {
  const agg = role.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined;
  const rules: PolicyRule[] = [];
  const all = [...lister.clusterRoles()].sort((a, b) =>
    (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1,
  );
  for (const sel of agg?.clusterRoleSelectors ?? []) {
    const selector = labelSelectorFromObject(sel as Parameters<typeof labelSelectorFromObject>[0]);
    for (const other of all) {
      if (other.metadata?.name === role.metadata?.name) continue;
      if (!selector.matches(other.metadata?.labels)) continue;
      for (const r of (other.rules as PolicyRule[] | undefined) ?? []) {
        const n = normalise(r);
        if (!rules.some((x) => deepEqual(x, n))) rules.push(n);
      }
    }
  }
  return rules;
}

export class ClusterRoleAggregator {
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(
    private readonly cache: RBACCache,
    private readonly store: GenericStore,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.unsubscribe = this.cache.onChange((kind) => {
      if (kind === 'ClusterRole') this.schedule();
    });
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /**
   * Resolves when no pass is pending or running and the cache shows every aggregated role with
   * its full rules — or after `maxTicks` event-loop turns, whichever comes first.
   */
  async idle(maxTicks = 2000): Promise<void> {
    for (let i = 0; i < maxTicks; i++) {
      const current = this.running;
      await current;
      if (!this.scheduled && current === this.running && this.consistent()) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  private consistent(): boolean {
    const lister = this.cache.objects;
    return [...lister.clusterRoles()].every(
      (role) =>
        !role.aggregationRule ||
        deepEqual(
          ((role.rules as PolicyRule[] | undefined) ?? []).map(normalise),
          aggregatedRules(role, lister),
        ),
    );
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.running = this.running.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            this.scheduled = false;
            this.pass().then(resolve, (err: unknown) => {
              this.logger.warn({ err }, 'clusterrole aggregation failed');
              resolve();
            });
          });
        }),
    );
  }

  private async pass(): Promise<void> {
    if (this.stopped) return;
    const lister = this.cache.objects;
    for (const role of [...lister.clusterRoles()]) {
      if (!role.aggregationRule) continue;
      const want = aggregatedRules(role, lister);
      const have = ((role.rules as PolicyRule[] | undefined) ?? []).map(normalise);
      if (deepEqual(have, want)) continue;
      const name = role.metadata?.name ?? '';
      try {
        await this.store.update(
          name,
          (current) => {
            if (!current) throw new Error('gone');
            return {
              ...structuredClone(current),
              rules: aggregatedRules(current, this.cache.objects),
            };
          },
          { namespace: '', fieldManager: aggregationFieldManager },
        );
      } catch (err) {
        if (isNotFound(err) || isConflict(err) || (err as Error).message === 'gone') continue;
        throw err;
      }
    }
  }
}
