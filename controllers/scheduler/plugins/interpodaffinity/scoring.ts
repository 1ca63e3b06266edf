/**
 * InterPodAffinity scoring (upstream `plugins/interpodaffinity/scoring.go`), weight 2.
 *
 * For every existing pod (all pods when the incoming pod has preferred terms, else only pods
 * with affinity), each matching term adds its weight to the topology domain of the existing
 * pod's node:
 * - the incoming pod's preferred affinity terms (+weight) and anti-affinity terms (−weight)
 *   matched by the existing pod;
 * - the existing pod's required affinity terms matched by the incoming pod (+1,
 *   `hardPodAffinityWeight`), preferred affinity (+weight) and preferred anti-affinity (−weight).
 *
 * A node's score is the sum over its domains; scores are normalised min–max to 0…100. PreScore
 * skips when no domain got a score.
 */
import { defaultHardPodAffinityWeight, maxNodeScore } from '../../defaults.js';
import type { CycleState } from '../../framework/cyclestate.js';
import type { Handle } from '../../framework/interfaces.js';
import { asErrorStatus, skip, type Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import {
  termMatches,
  type AffinityTerm,
  type PodInfo,
  type WeightedAffinityTerm,
} from '../../podinfo.js';
import { names } from '../names.js';
import { mergeNamespaces } from './filtering.js';

const preScoreKey = 'PreScore' + names.InterPodAffinity;

/** topologyKey → value → score. */
type ScoreMap = Map<string, Map<string, number>>;

function processTerm(
  m: ScoreMap,
  term: AffinityTerm,
  weight: number,
  pod: PodInfo,
  nsLabels: Readonly<Record<string, string>> | undefined,
  node: NodeInfo,
  multiplier: number,
): void {
  if (!termMatches(term, pod, nsLabels)) return;
  const v = node.labels[term.topologyKey];
  if (v === undefined) return;
  let byValue = m.get(term.topologyKey);
  if (!byValue) m.set(term.topologyKey, (byValue = new Map()));
  byValue.set(v, (byValue.get(v) ?? 0) + weight * multiplier);
}

function processTerms(
  m: ScoreMap,
  terms: readonly WeightedAffinityTerm[],
  pod: PodInfo,
  nsLabels: Readonly<Record<string, string>> | undefined,
  node: NodeInfo,
  multiplier: number,
): void {
  for (const t of terms) processTerm(m, t, t.weight, pod, nsLabels, node, multiplier);
}

export function preScore(
  handle: Handle,
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
): Status | undefined {
  if (nodes.length === 0) return skip;
  const hasConstraints =
    pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
  const candidates = hasConstraints ? handle.allNodes() : handle.nodesWithPodsWithAffinity();
  if (candidates.length === 0) return skip;
  if (pod.parseErrors.length > 0) {
    return asErrorStatus(new Error(`parsing pod: ${pod.parseErrors.join('; ')}`));
  }
  const affinity = pod.preferredAffinityTerms.map((t) => mergeNamespaces(handle, t));
  const antiAffinity = pod.preferredAntiAffinityTerms.map((t) => mergeNamespaces(handle, t));
  const nsLabels = handle.namespaceLabels(pod.namespace) ?? {};
  const m: ScoreMap = new Map();
  for (const node of candidates) {
    if (Object.keys(node.labels).length === 0) continue;
    const existingPods = hasConstraints ? node.pods : node.podsWithAffinity;
    for (const existing of existingPods) {
      processTerms(m, affinity, existing, undefined, node, 1);
      processTerms(m, antiAffinity, existing, undefined, node, -1);
      for (const t of existing.requiredAffinityTerms) {
        processTerm(m, t, defaultHardPodAffinityWeight, pod, nsLabels, node, 1);
      }
      processTerms(m, existing.preferredAffinityTerms, pod, nsLabels, node, 1);
      processTerms(m, existing.preferredAntiAffinityTerms, pod, nsLabels, node, -1);
    }
  }
  if (m.size === 0) return skip;
  state.write(preScoreKey, m);
  return undefined;
}

export function score(state: CycleState, node: NodeInfo): number {
  const m = state.read<ScoreMap>(preScoreKey);
  if (!m) return 0;
  let total = 0;
  for (const [key, values] of m) {
    const v = node.labels[key];
    if (v !== undefined) total += values.get(v) ?? 0;
  }
  return total;
}

export function normalizeScore(state: CycleState, scores: number[]): void {
  const m = state.read<ScoreMap>(preScoreKey);
  if (!m || m.size === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = diff > 0 ? Math.trunc((maxNodeScore * (scores[i]! - min)) / diff) : 0;
  }
}
