/**
 * Where daemon pods belong and what they look like (`daemon_controller.go`
 * `NodeShouldRunDaemonPod`, `util/daemonset_util.go`):
 *
 * - {@link nodeShouldRunDaemonPod}: the template (with the daemon tolerations) must fit the node —
 *   `spec.nodeName` if set, nodeSelector and required node affinity, and taints. An untolerated
 *   NoSchedule or NoExecute taint means "do not create"; only an untolerated NoExecute taint also
 *   means "do not keep" (`shouldContinueRunning` false).
 * - {@link daemonPodTemplate} (`CreatePodTemplate`): the template plus the daemon tolerations —
 *   not-ready and unreachable NoExecute without tolerationSeconds; disk-, memory-, pid-pressure and
 *   unschedulable NoSchedule; network-unavailable NoSchedule for hostNetwork pods — and the labels
 *   `controller-revision-hash` and `pod-template-generation` (when the DaemonSet has one).
 * - {@link pinToNode} (`ReplaceDaemonSetPodNodeNameNodeAffinity`): required node affinity
 *   `matchFields metadata.name In [node]` replacing any required terms; the default scheduler
 *   then binds the pod to that node.
 * - {@link targetNodeName} (`GetTargetNodeName`): `spec.nodeName`, else the node named by that
 *   affinity; undefined when neither says.
 */
import type { DaemonSet, Node, Pod } from '../../framework/index.js';
import type { PodTemplateSpec } from '../util/index.js';
import {
  addOrUpdateToleration,
  findMatchingUntoleratedTaint,
  getScaledValueFromIntOrPercent,
  matchesRequiredNodeAffinity,
  type PodSpec,
} from '../util/index.js';
import {
  taintKeys,
  templateGenerationAnnotation,
  templateGenerationLabel,
  uniqueLabelKey,
} from './defaults.js';

export type DS = Readonly<DaemonSet>;

/** `AddOrUpdateDaemonPodTolerations` on a spec the caller owns. */
export function addDaemonTolerations(spec: PodSpec): void {
  const exists = (key: string, effect: string) => ({ key, operator: 'Exists', effect });
  addOrUpdateToleration(spec, exists(taintKeys.notReady, 'NoExecute'));
  addOrUpdateToleration(spec, exists(taintKeys.unreachable, 'NoExecute'));
  addOrUpdateToleration(spec, exists(taintKeys.diskPressure, 'NoSchedule'));
  addOrUpdateToleration(spec, exists(taintKeys.memoryPressure, 'NoSchedule'));
  addOrUpdateToleration(spec, exists(taintKeys.pidPressure, 'NoSchedule'));
  addOrUpdateToleration(spec, exists(taintKeys.unschedulable, 'NoSchedule'));
  if (spec.hostNetwork) {
    addOrUpdateToleration(spec, exists(taintKeys.networkUnavailable, 'NoSchedule'));
  }
}

/** `GetTemplateGeneration`: the generation annotation as a number; undefined when absent or bad. */
export function templateGeneration(ds: DS): number | undefined {
  const v = ds.metadata?.annotations?.[templateGenerationAnnotation];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** `CreatePodTemplate`; see the module comment. */
export function daemonPodTemplate(ds: DS, hash: string): PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? {}) as PodTemplateSpec;
  template.spec ??= { containers: [] };
  addDaemonTolerations(template.spec);
  const labels = (template.metadata ??= {}).labels ?? {};
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[templateGenerationLabel] = String(generation);
  if (hash) labels[uniqueLabelKey] = hash;
  template.metadata.labels = labels;
  return template;
}

/** `ReplaceDaemonSetPodNodeNameNodeAffinity` on a spec the caller owns. */
export function pinToNode(spec: PodSpec, nodeName: string): void {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
}

/** `NodeShouldRunDaemonPod`; see the module comment. */
export function nodeShouldRunDaemonPod(
  node: Readonly<Node>,
  ds: DS,
): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const template = ds.spec?.template?.spec;
  const name = node.metadata?.name ?? '';
  if (template?.nodeName && template.nodeName !== name) {
    return { shouldRun: false, shouldContinueRunning: false };
  }
  const spec = structuredClone(template ?? { containers: [] }) as PodSpec;
  addDaemonTolerations(spec);
  if (!matchesRequiredNodeAffinity(spec, node)) {
    return { shouldRun: false, shouldContinueRunning: false };
  }
  const taints = node.spec?.taints;
  const untolerated = findMatchingUntoleratedTaint(
    taints,
    spec.tolerations,
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  if (!untolerated) return { shouldRun: true, shouldContinueRunning: true };
  const noExecute = findMatchingUntoleratedTaint(
    taints,
    spec.tolerations,
    (t) => t.effect === 'NoExecute',
  );
  return { shouldRun: false, shouldContinueRunning: !noExecute };
}

/** `GetTargetNodeName`; see the module comment. */
export function targetNodeName(pod: Readonly<Pod>): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In') {
        return f.values?.length === 1 ? f.values[0] : undefined;
      }
    }
  }
  return undefined;
}

/** `IsPodUpdated`: the pod has the current hash, or the DaemonSet's template generation. */
export function isPodUpdated(pod: Readonly<Pod>, hash: string, generation: number | undefined) {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches =
    generation !== undefined && labels[templateGenerationLabel] === String(generation);
  return (hash !== '' && labels[uniqueLabelKey] === hash) || templateMatches;
}

/** `UnavailableCount`: maxUnavailable of `desired` (rounded up); 0 without RollingUpdate. */
export function unavailableCount(ds: DS, desired: number): number {
  const s = ds.spec?.updateStrategy;
  if (s?.type !== 'RollingUpdate' || !s.rollingUpdate) return 0;
  return getScaledValueFromIntOrPercent(s.rollingUpdate.maxUnavailable ?? 0, desired, true);
}

/** `SurgeCount`: maxSurge of `desired` (rounded up); 0 without RollingUpdate or maxSurge. */
export function surgeCount(ds: DS, desired: number): number {
  const s = ds.spec?.updateStrategy;
  if (s?.type !== 'RollingUpdate' || !s.rollingUpdate) return 0;
  const surge = s.rollingUpdate.maxSurge;
  if (surge === undefined || surge === null) return 0;
  return getScaledValueFromIntOrPercent(surge, desired, true);
}

/** `AllowsSurge`: more than one pod per node is allowed. */
export function allowsSurge(ds: DS): boolean {
  try {
    return surgeCount(ds, 1) !== 0;
  } catch {
    return false;
  }
}
