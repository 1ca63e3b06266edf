/**
 * Taints and tolerations for the plugins. `ToleratesTaint` and `FindMatchingUntoleratedTaint`
 * are the controllers' shared predicates (`controllers/util`, also used by the DaemonSet
 * controller); this adds the two helpers only the scheduler needs.
 */
import {
  findMatchingUntoleratedTaint,
  toleratesTaint,
  type Taint,
  type Toleration,
} from '../../../util/index.js';

export { toleratesTaint, type Taint, type Toleration };

/** The first taint accepted by `filter` that no toleration tolerates. */
export const findUntoleratedTaint = findMatchingUntoleratedTaint;

/** True when some toleration tolerates the taint (`TolerationsTolerateTaint`). */
export function tolerationsTolerate(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** `DoNotScheduleTaintsFilterFunc`: NoSchedule and NoExecute taints. */
export function doNotScheduleTaint(t: Readonly<Taint>): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}
