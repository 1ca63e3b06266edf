/**
 * Topology spread constraints as the plugin uses them (upstream
 * `plugins/podtopologyspread/common.go`, `plugins/helper/spread.go`).
 *
 * - A constraint's selector is its `labelSelector` plus, for each `matchLabelKeys` key the pod
 *   has, `key=<pod's value>`. Defaults: `minDomains` 1, `nodeAffinityPolicy` Honor,
 *   `nodeTaintsPolicy` Ignore.
 * - Pods without constraints get the system defaults (hostname maxSkew 3, zone maxSkew 5, both
 *   ScheduleAnyway) with the selector of the Services, ReplicationController, ReplicaSet or
 *   StatefulSet they belong to (`DefaultSelector`); a pod belonging to none gets none.
 * - Counting skips pods being deleted and pods of other namespaces.
 */
import {
  labelSelectorFromObject,
  Selector,
  type LabelSelector,
  type Requirement,
} from '../../../../common/index.js';
import type { Pod } from '../../../../framework/index.js';
import { systemDefaultSpreadConstraints } from '../../defaults.js';
import type { Handle } from '../../framework/interfaces.js';
import type { ClusterListers } from '../../listers.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';
import type { RequiredNodeAffinity } from '../helpers/nodeaffinity.js';
import { doNotScheduleTaint, findUntoleratedTaint, type Toleration } from '../helpers/taints.js';

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  /** Identifies the selector for the per-node count memo. */
  readonly selectorKey: string;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: string;
  readonly nodeTaintsPolicy: string;
}

type RawConstraint = NonNullable<NonNullable<Pod['spec']>['topologySpreadConstraints']>[number];

/** `filterTopologySpreadConstraints`: the pod's constraints with `whenUnsatisfiable === action`. */
export function constraintsOf(pod: PodInfo, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of (pod.pod.spec?.topologySpreadConstraints ?? []) as RawConstraint[]) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorFromObject(c.labelSelector as LabelSelector | undefined);
    const extra: Requirement[] = [];
    for (const key of c.matchLabelKeys ?? []) {
      const v = pod.labels[key];
      if (v !== undefined) extra.push({ key, operator: '=', values: [v] });
    }
    if (extra.length > 0 && (selector.isEmpty() || selector.requirements.length > 0)) {
      selector = Selector.of([...selector.requirements, ...extra]);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      selectorKey: selectorKey(selector),
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** `DefaultSelector`: the merged selectors of the pod's Services and controller. */
export function defaultSelector(pod: PodInfo, listers: ClusterListers): Selector {
  const labelSet: Record<string, string> = {};
  for (const sel of listers.serviceSelectorsFor(pod.namespace, pod.labels)) {
    Object.assign(labelSet, sel);
  }
  const fromSet = (set: Record<string, string>): Requirement[] =>
    Object.entries(set).map(([key, v]) => ({ key, operator: '=', values: [v] }));
  let reqs = fromSet(labelSet);
  const owner = (pod.pod.metadata?.ownerReferences ?? []).find((o) => o.controller);
  if (owner) {
    const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
    if (group === '' && owner.kind === 'ReplicationController') {
      const sel = listers.replicationControllerSelector(pod.namespace, owner.name);
      if (sel) reqs = fromSet({ ...labelSet, ...sel });
    } else if (group === 'apps' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
      const raw =
        owner.kind === 'ReplicaSet'
          ? listers.replicaSetSelector(pod.namespace, owner.name)
          : listers.statefulSetSelector(pod.namespace, owner.name);
      if (raw) {
        try {
          reqs = [...reqs, ...labelSelectorFromObject(raw).requirements];
        } catch {
          // An invalid selector adds nothing.
        }
      }
    }
  }
  return Selector.of(reqs);
}

/** The system default constraints with the pod's default selector, or none. */
export function defaultConstraints(pod: PodInfo, listers: ClusterListers): SpreadConstraint[] {
  const selector = defaultSelector(pod, listers);
  if (selector.isEmpty()) return [];
  return systemDefaultSpreadConstraints.map((c) => ({
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    selectorKey: selectorKey(selector),
    minDomains: 1,
    nodeAffinityPolicy: 'Honor',
    nodeTaintsPolicy: 'Ignore',
  }));
}

/** `nodeLabelsMatchSpreadConstraints`: the node has every constraint's topology key. */
export function nodeHasAllKeys(n: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (n.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** `matchNodeInclusionPolicies`. */
export function nodeIncluded(
  c: SpreadConstraint,
  pod: PodInfo,
  n: NodeInfo,
  required: RequiredNodeAffinity,
): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.matchesLabels(n.name, n.labels)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const tolerations = (pod.pod.spec?.tolerations ?? []) as Toleration[];
    if (findUntoleratedTaint(n.taints, tolerations, doNotScheduleTaint)) return false;
  }
  return true;
}

function selectorKey(s: Selector): string {
  if (s.isEmpty()) return 'everything';
  return s.requirements.length === 0 ? 'nothing' : `sel:${s.toString()}`;
}

/** What to count for one constraint of one pod (built once per cycle). */
export interface Counter {
  readonly key: string;
  readonly selector: Selector;
  readonly namespace: string;
}

export function counterFor(c: SpreadConstraint, namespace: string): Counter {
  return { key: `${namespace}\u0000${c.selectorKey}`, selector: c.selector, namespace };
}

/** {@link countMatching} on a node, memoised per node generation. */
export function countOnNode(handle: Handle, n: NodeInfo, counter: Counter): number {
  return handle.matchCounts.count(n, counter.key, countFor, counter);
}

function countFor(n: NodeInfo, c: Counter): number {
  return countMatching(n.pods, c.selector, c.namespace);
}

/** `countPodsMatchSelector`. */
export function countMatching(pods: readonly PodInfo[], selector: Selector, namespace: string) {
  if (selector.isEmpty()) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.namespace !== namespace || p.deleting) continue;
    if (selector.matches(p.labels)) n++;
  }
  return n;
}
