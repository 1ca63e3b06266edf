/**
 * What the scheduler reads about the cluster besides nodes and pods: namespaces (for
 * namespaceSelector terms), Services and controllers (for default spreading), and
 * PodDisruptionBudgets (for preemption). The scheduler wires informer-backed listers
 * (`informers.ts`); tests and the in-memory benchmark use {@link StaticListers}.
 *
 * Listers return what their cache holds at call time and never throw.
 */
import type { LabelSelector } from '../../common/index.js';
import type { PodDisruptionBudget } from '../../framework/index.js';

export interface ClusterListers {
  /** Labels of a namespace; undefined when unknown. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
  /** Every namespace with its labels. */
  namespaces(): Iterable<{ name: string; labels: Readonly<Record<string, string>> }>;
  /** The selectors of the namespace's Services that select a pod with `labels`. */
  serviceSelectorsFor(
    namespace: string,
    labels: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>>[];
  replicationControllerSelector(
    namespace: string,
    name: string,
  ): Readonly<Record<string, string>> | undefined;
  replicaSetSelector(namespace: string, name: string): LabelSelector | undefined;
  statefulSetSelector(namespace: string, name: string): LabelSelector | undefined;
  podDisruptionBudgets(): readonly Readonly<PodDisruptionBudget>[];
}

/** Whether a Service selector (a label map) selects `labels`; a missing selector selects none. */
export function serviceSelects(
  selector: Readonly<Record<string, string>> | undefined | null,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** In-memory listers, filled by hand. */
export class StaticListers implements ClusterListers {
  readonly namespaceMap = new Map<string, Record<string, string>>();
  /** `namespace` → Service selectors. */
  readonly services = new Map<string, Record<string, string>[]>();
  /** `namespace/name` → selector. */
  readonly replicationControllers = new Map<string, Record<string, string>>();
  readonly replicaSets = new Map<string, LabelSelector>();
  readonly statefulSets = new Map<string, LabelSelector>();
  pdbs: PodDisruptionBudget[] = [];

  namespaceLabels(namespace: string) {
    return this.namespaceMap.get(namespace);
  }

  *namespaces() {
    for (const [name, labels] of this.namespaceMap) yield { name, labels };
  }

  serviceSelectorsFor(namespace: string, labels: Readonly<Record<string, string>>) {
    return (this.services.get(namespace) ?? []).filter((s) => serviceSelects(s, labels));
  }

  replicationControllerSelector(namespace: string, name: string) {
    return this.replicationControllers.get(`${namespace}/${name}`);
  }

  replicaSetSelector(namespace: string, name: string) {
    return this.replicaSets.get(`${namespace}/${name}`);
  }

  statefulSetSelector(namespace: string, name: string) {
    return this.statefulSets.get(`${namespace}/${name}`);
  }

  podDisruptionBudgets() {
    return this.pdbs;
  }
}
