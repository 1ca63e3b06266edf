/**
 * InterPodAffinity filtering (upstream `plugins/interpodaffinity/filtering.go`).
 *
 * PreFilter counts, per topology domain (`key=value` of a node label):
 * - existing pods whose required anti-affinity terms match the incoming pod (only nodes that have
 *   such pods are visited);
 * - existing pods matching *all* the incoming pod's required affinity terms (for each term);
 * - existing pods matching each of the incoming pod's required anti-affinity terms.
 *
 * Filter, in order (first failure wins):
 * 1. affinity — the node must carry every term's topology key, with matching pods in that
 *    domain; unless no pod anywhere matches and the pod matches its own terms (the first pod of a
 *    group): `node(s) didn't match pod affinity rules` (unresolvable);
 * 2. the incoming pod's anti-affinity: `node(s) didn't match pod anti-affinity rules`;
 * 3. existing pods' anti-affinity: `node(s) didn't satisfy existing pods anti-affinity rules`.
 *
 * Terms with a `namespaceSelector` are resolved against the namespaces known when the cycle
 * starts. Existing pods' terms are evaluated against the incoming pod's namespace labels.
 */
import { Selector } from '../../../../common/index.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import type { Handle } from '../../framework/interfaces.js';
import {
  asErrorStatus,
  skip,
  unresolvable,
  unschedulable,
  type Status,
} from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import { matchesAllTerms, termMatches, type AffinityTerm, type PodInfo } from '../../podinfo.js';
import { names } from '../names.js';

export const errReasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

const rejectAffinity = unresolvable(errReasonAffinityRulesNotMatch);
const rejectAntiAffinity = unschedulable(errReasonAntiAffinityRulesNotMatch);
const rejectExisting = unschedulable(errReasonExistingAntiAffinityRulesNotMatch);

export const preFilterKey = 'PreFilter' + names.InterPodAffinity;

/** `topologyPair` as a map key (used by PodTopologySpread scoring). */
export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** Counts per topology pair (`topologyToMatchedTermCount`): key → value → count. */
export class TopologyCounts {
  readonly m = new Map<string, Map<string, number>>();
  /** Number of pairs with a non-zero count. */
  size = 0;

  update(nodeInfo: NodeInfo, topologyKey: string, value: number): void {
    const tv = nodeInfo.labels[topologyKey];
    if (tv === undefined || value === 0) return;
    let byValue = this.m.get(topologyKey);
    if (!byValue) this.m.set(topologyKey, (byValue = new Map()));
    const before = byValue.get(tv) ?? 0;
    const n = before + value;
    if (n === 0) byValue.delete(tv);
    else byValue.set(tv, n);
    if (before === 0) this.size++;
    else if (n === 0) this.size--;
  }

  /** For each term, when `pod` matches all terms (`updateWithAffinityTerms`). */
  updateWithAffinityTerms(
    terms: readonly AffinityTerm[],
    pod: PodInfo,
    nodeInfo: NodeInfo,
    value: number,
  ) {
    if (matchesAllTerms(terms, pod)) {
      for (const t of terms) this.update(nodeInfo, t.topologyKey, value);
    }
  }

  /** For each term `pod` matches (`updateWithAntiAffinityTerms`). */
  updateWithAntiAffinityTerms(
    terms: readonly AffinityTerm[],
    pod: PodInfo,
    nsLabels: Readonly<Record<string, string>> | undefined,
    nodeInfo: NodeInfo,
    value: number,
  ) {
    for (const t of terms) {
      if (termMatches(t, pod, nsLabels)) this.update(nodeInfo, t.topologyKey, value);
    }
  }

  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.m) c.m.set(k, new Map(v));
    c.size = this.size;
    return c;
  }
}

/** A memo key identifying what a term matches (namespaces, namespace selector, selector). */
export function termKey(t: AffinityTerm): string {
  const ns = t.namespaceSelector.isEmpty() ? '*' : t.namespaceSelector.toString();
  return `${[...t.namespaces].sort().join(',')}|${ns}|${t.selector.isEmpty() ? '*' : t.selector.toString()}`;
}

function countMatchingAll(node: NodeInfo, terms: readonly AffinityTerm[]): number {
  let n = 0;
  for (const p of node.pods) if (matchesAllTerms(terms, p)) n++;
  return n;
}

function countMatchingTerm(node: NodeInfo, term: AffinityTerm): number {
  let n = 0;
  for (const p of node.pods) if (termMatches(term, p, undefined)) n++;
  return n;
}

export class PreFilterState implements StateData {
  existingAntiAffinityCounts = new TopologyCounts();
  affinityCounts = new TopologyCounts();
  antiAffinityCounts = new TopologyCounts();

  constructor(
    readonly pod: PodInfo,
    readonly affinityTerms: readonly AffinityTerm[],
    readonly antiAffinityTerms: readonly AffinityTerm[],
    readonly namespaceLabels: Readonly<Record<string, string>>,
  ) {}

  clone(): PreFilterState {
    const c = new PreFilterState(
      this.pod,
      this.affinityTerms,
      this.antiAffinityTerms,
      this.namespaceLabels,
    );
    c.existingAntiAffinityCounts = this.existingAntiAffinityCounts.clone();
    c.affinityCounts = this.affinityCounts.clone();
    c.antiAffinityCounts = this.antiAffinityCounts.clone();
    return c;
  }

  /** `updateWithPod`: `other` was added (+1) to or removed (−1) from `nodeInfo`. */
  updateWithPod(other: PodInfo, nodeInfo: NodeInfo, multiplier: number): void {
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(
      other.requiredAntiAffinityTerms,
      this.pod,
      this.namespaceLabels,
      nodeInfo,
      multiplier,
    );
    this.affinityCounts.updateWithAffinityTerms(this.affinityTerms, other, nodeInfo, multiplier);
    this.antiAffinityCounts.updateWithAntiAffinityTerms(
      this.antiAffinityTerms,
      other,
      undefined,
      nodeInfo,
      multiplier,
    );
  }
}

/**
 * `mergeAffinityTermNamespacesIfNotEmpty`: a term's namespace selector becomes the list of the
 * namespaces it selects now (an empty selector — all namespaces — is kept as it is).
 */
export function mergeNamespaces<T extends AffinityTerm>(handle: Handle, term: T): T {
  if (term.namespaceSelector.isEmpty()) return term;
  const namespaces = new Set(term.namespaces);
  for (const n of handle.namespacesMatching((l) => term.namespaceSelector.matches(l))) {
    namespaces.add(n);
  }
  return { ...term, namespaces, namespaceSelector: Selector.nothing() };
}

/** PreFilter; Skip when neither the pod nor any existing pod has required (anti-)affinity. */
export function preFilter(handle: Handle, state: CycleState, pod: PodInfo): Status | undefined {
  const withAnti = handle.nodesWithRequiredAntiAffinityPods();
  const hasOwn = pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0;
  if (!hasOwn && withAnti.length === 0) return skip;
  if (pod.parseErrors.length > 0) {
    return asErrorStatus(new Error(`parsing pod: ${pod.parseErrors.join('; ')}`));
  }
  const s = new PreFilterState(
    pod,
    pod.requiredAffinityTerms.map((t) => mergeNamespaces(handle, t)),
    pod.requiredAntiAffinityTerms.map((t) => mergeNamespaces(handle, t)),
    handle.namespaceLabels(pod.namespace) ?? {},
  );
  for (const n of withAnti) {
    for (const existing of n.podsWithRequiredAntiAffinity) {
      s.existingAntiAffinityCounts.updateWithAntiAffinityTerms(
        existing.requiredAntiAffinityTerms,
        pod,
        s.namespaceLabels,
        n,
        1,
      );
    }
  }
  if (hasOwn) {
    // Counts per node are memoised by node generation: pods of one workload share their terms.
    const allKey =
      s.affinityTerms.length > 0 ? `all:${s.affinityTerms.map(termKey).join(';')}` : '';
    const antiKeys = s.antiAffinityTerms.map((t) => `one:${termKey(t)}`);
    for (const n of handle.allNodes()) {
      if (n.pods.length === 0) continue;
      if (allKey) {
        const c = handle.matchCounts.count(n, allKey, countMatchingAll, s.affinityTerms);
        if (c > 0) for (const t of s.affinityTerms) s.affinityCounts.update(n, t.topologyKey, c);
      }
      for (let i = 0; i < s.antiAffinityTerms.length; i++) {
        const t = s.antiAffinityTerms[i]!;
        const c = handle.matchCounts.count(n, antiKeys[i]!, countMatchingTerm, t);
        if (c > 0) s.antiAffinityCounts.update(n, t.topologyKey, c);
      }
    }
  }
  state.write(preFilterKey, s);
  return undefined;
}

function satisfyPodAffinity(s: PreFilterState, n: NodeInfo): boolean {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    const v = n.labels[t.topologyKey];
    if (v === undefined) return false;
    if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinityCounts.size === 0 && matchesAllTerms(s.affinityTerms, s.pod);
}

function satisfyPodAntiAffinity(s: PreFilterState, n: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.antiAffinityTerms) {
    const v = n.labels[t.topologyKey];
    if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, n: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  // Only the topology keys of existing terms can match one of the node's labels.
  for (const [key, byValue] of s.existingAntiAffinityCounts.m) {
    const v = n.labels[key];
    if (v !== undefined && (byValue.get(v) ?? 0) > 0) return false;
  }
  return true;
}

export function filter(state: CycleState, n: NodeInfo): Status | undefined {
  const s = state.read<PreFilterState>(preFilterKey);
  if (!s) return undefined;
  if (!satisfyPodAffinity(s, n)) return rejectAffinity;
  if (!satisfyPodAntiAffinity(s, n)) return rejectAntiAffinity;
  if (!satisfyExistingPodsAntiAffinity(s, n)) return rejectExisting;
  return undefined;
}
