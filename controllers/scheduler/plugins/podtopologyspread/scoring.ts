/**
 * PodTopologySpread scoring (upstream `plugins/podtopologyspread/scoring.go`), weight 2, for the
 * pod's `ScheduleAnyway` constraints — or the system defaults when it has no constraints.
 *
 * - Candidate nodes lacking a topology key are ignored (score 0) — except with the system
 *   defaults, where a node without a zone still gets hostname spreading.
 * - Per constraint, each domain of the candidates counts matching pods over all nodes that pass
 *   the inclusion policies (hostname domains are counted per node at Score time).
 * - A node's raw score is `Σ count × log(domains + 2) + (maxSkew − 1)`, rounded; normalised so
 *   the fewest matching pods scores 100: `100 × (max + min − score) / max`.
 */
import { labelHostname, maxNodeScore } from '../../defaults.js';
import type { CycleState } from '../../framework/cyclestate.js';
import type { Handle } from '../../framework/interfaces.js';
import { skip, type Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';
import { RequiredNodeAffinity } from '../helpers/nodeaffinity.js';
import { names } from '../names.js';
import { pairKey } from '../interpodaffinity/filtering.js';
import {
  constraintsOf,
  counterFor,
  countOnNode,
  defaultConstraints,
  nodeHasAllKeys,
  nodeIncluded,
  type Counter,
  type SpreadConstraint,
} from './common.js';

const preScoreKey = 'PreScore' + names.PodTopologySpread;

interface PreScoreState {
  handle: Handle;
  constraints: SpreadConstraint[];
  counters: Counter[];
  ignored: Set<string>;
  /** topology pair → matching pods (non-hostname constraints only). */
  pairCounts: Map<string, number>;
  weights: number[];
}

export function preScore(
  handle: Handle,
  state: CycleState,
  pod: PodInfo,
  filtered: readonly NodeInfo[],
): Status | undefined {
  const all = handle.allNodes();
  if (filtered.length === 0 || all.length === 0) return skip;
  const own = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
  const constraints = own
    ? constraintsOf(pod, 'ScheduleAnyway')
    : defaultConstraints(pod, handle.listers);
  if (constraints.length === 0) return skip;
  const requireAll = own;
  const s: PreScoreState = {
    handle,
    constraints,
    counters: constraints.map((c) => counterFor(c, pod.namespace)),
    ignored: new Set(),
    pairCounts: new Map(),
    weights: [],
  };
  const sizes = constraints.map(() => 0);
  for (const n of filtered) {
    if (requireAll && !nodeHasAllKeys(n, constraints)) {
      s.ignored.add(n.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === labelHostname) return;
      const k = pairKey(c.topologyKey, n.labels[c.topologyKey] ?? '');
      if (!s.pairCounts.has(k)) {
        s.pairCounts.set(k, 0);
        sizes[i]!++;
      }
    });
  }
  s.weights = constraints.map((c, i) =>
    Math.log((c.topologyKey === labelHostname ? filtered.length - s.ignored.size : sizes[i]!) + 2),
  );
  if (s.pairCounts.size > 0) {
    const required = new RequiredNodeAffinity(pod.pod);
    for (const n of all) {
      if (requireAll && !nodeHasAllKeys(n, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (c.topologyKey === labelHostname) continue;
        if (!nodeIncluded(c, pod, n, required)) continue;
        const k = pairKey(c.topologyKey, n.labels[c.topologyKey] ?? '');
        const current = s.pairCounts.get(k);
        if (current === undefined) continue;
        s.pairCounts.set(k, current + countOnNode(handle, n, s.counters[i]!));
      }
    }
  }
  state.write(preScoreKey, s);
  return undefined;
}

export function score(state: CycleState, pod: PodInfo, n: NodeInfo): number {
  const s = state.read<PreScoreState>(preScoreKey);
  if (!s || s.ignored.has(n.name)) return 0;
  let total = 0;
  s.constraints.forEach((c, i) => {
    const v = n.labels[c.topologyKey];
    if (v === undefined) return;
    const cnt =
      c.topologyKey === labelHostname
        ? countOnNode(s.handle, n, s.counters[i]!)
        : (s.pairCounts.get(pairKey(c.topologyKey, v)) ?? 0);
    total += cnt * s.weights[i]! + (c.maxSkew - 1);
  });
  return Math.round(total);
}

export function normalizeScore(
  state: CycleState,
  scores: number[],
  nodes: readonly NodeInfo[],
): void {
  const s = state.read<PreScoreState>(preScoreKey);
  if (!s) return;
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < scores.length; i++) {
    if (s.ignored.has(nodes[i]!.name)) continue;
    if (scores[i]! < min) min = scores[i]!;
    if (scores[i]! > max) max = scores[i]!;
  }
  for (let i = 0; i < scores.length; i++) {
    if (s.ignored.has(nodes[i]!.name)) scores[i] = 0;
    else if (max === 0) scores[i] = maxNodeScore;
    else scores[i] = Math.trunc((maxNodeScore * (max + min - scores[i]!)) / max);
  }
}
