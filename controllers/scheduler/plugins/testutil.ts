/**
 * Helpers for plugin tests: a cache with nodes and pods, and one plugin run the way the framework
 * runs it (PreFilter, then Filter per node; PreScore, Score, NormalizeScore).
 */
import type { Node, Pod } from '../../../framework/index.js';
import { SchedulerCache } from '../cache/cache.js';
import { CycleState } from '../framework/cyclestate.js';
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from '../framework/interfaces.js';
import { Code, type Status } from '../framework/status.js';
import { StaticListers } from '../listers.js';
import { PodInfo } from '../podinfo.js';

export function cacheWith(nodes: Node[], pods: Pod[] = [], listers = new StaticListers()) {
  const cache = new SchedulerCache(listers);
  for (const n of nodes) cache.addOrUpdateNode(n);
  for (const p of pods) cache.addPod(new PodInfo(p));
  return cache;
}

/** The status of `pod` on each node (undefined = fits), as `name → message` ('' = fits). */
export function filterAll(
  plugin: FilterPlugin & Partial<PreFilterPlugin>,
  cache: SchedulerCache,
  pod: Pod,
): Record<string, string> {
  const state = new CycleState();
  const pi = new PodInfo(pod);
  const pre = plugin.preFilter?.(state, pi);
  const out: Record<string, string> = {};
  if (pre?.status?.code === Code.Skip) {
    for (const n of cache.allNodes()) out[n.name] = '';
    return out;
  }
  for (const n of cache.allNodes()) {
    const s = pre?.status ?? plugin.filter(state, pi, n);
    out[n.name] = describe(s);
  }
  return out;
}

export function describe(s: Status | undefined): string {
  if (!s || s.code === Code.Success) return '';
  const code = s.code === Code.UnschedulableAndUnresolvable ? 'Unresolvable' : Code[s.code];
  return `${code}: ${s.message()}`;
}

/** Normalised scores per node, or 'skip' when PreScore skipped. */
export function scoreAll(
  plugin: ScorePlugin,
  cache: SchedulerCache,
  pod: Pod,
  prepare?: (state: CycleState, pi: PodInfo) => void,
): Record<string, number> | 'skip' {
  const state = new CycleState();
  const pi = new PodInfo(pod);
  prepare?.(state, pi);
  const nodes = cache.allNodes();
  const pre = plugin.preScore?.(state, pi, nodes);
  if (pre?.code === Code.Skip) return 'skip';
  const scores = nodes.map((n) => plugin.score(state, pi, n));
  plugin.normalizeScore?.(state, pi, scores, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i]!]));
}
