/**
 * Taints and tolerations (`k8s.io/api/core/v1` `Toleration.ToleratesTaint`,
 * `component-helpers/scheduling/corev1` `FindMatchingUntoleratedTaint`).
 */
import type { Node, Pod } from '../../../../framework/index.js';

export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
export type Toleration = NonNullable<NonNullable<Pod['spec']>['tolerations']>[number];

/**
 * `ToleratesTaint`: an empty effect matches every effect, an empty key (with `Exists`) every
 * key; operator `Equal` (or empty) compares values, `Exists` ignores them.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** True when some toleration tolerates the taint (`TolerationsTolerateTaint`). */
export function tolerationsTolerate(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/**
 * `FindMatchingUntoleratedTaint`: the first taint accepted by `filter` that no toleration
 * tolerates.
 */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerate(tolerations, taint)) return taint;
  }
  return undefined;
}

/** `DoNotScheduleTaintsFilterFunc`: NoSchedule and NoExecute taints. */
export function doNotScheduleTaint(t: Taint): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}
