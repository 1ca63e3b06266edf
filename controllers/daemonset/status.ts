/**
 * DaemonSet status (`updateDaemonSetStatus`, `storeDaemonSetStatus`): over the nodes that should
 * run the pod — `desiredNumberScheduled`; those with a pod, `currentNumberScheduled`; whose oldest
 * pod is Ready, `numberReady`, and available, `numberAvailable`; whose oldest pod is at the
 * current hash (or template generation), `updatedNumberScheduled`; `numberUnavailable` = desired −
 * available. Nodes with a pod that should not run one count in `numberMisscheduled`.
 *
 * Written through `/status` only when a count moved or observedGeneration lags; observedGeneration
 * advances only when the sync acted on this generation. A conflict re-reads the DaemonSet and
 * tries once more (`StatusUpdateRetries`).
 */
import {
  DaemonSet as DaemonSetKind,
  type ApiClient,
  type Client,
  type DaemonSet,
  type Node,
  type Pod,
} from '../../framework/index.js';
import { isPodAvailable, isPodReady, statusUpdateRetries } from '../util/index.js';
import { byCreationTimestampAndPhase } from './manage.js';
import { isPodUpdated, nodeShouldRunDaemonPod, templateGeneration, type DS } from './placement.js';

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** The counts of the module comment. */
export function computeCounts(
  ds: DS,
  nodes: readonly Readonly<Node>[],
  nodeToDaemonPods: ReadonlyMap<string, readonly Readonly<Pod>[]>,
  hash: string,
  nowMs: number,
): DaemonSetCounts {
  const c: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const generation = templateGeneration(ds);
  for (const node of nodes) {
    const pods = nodeToDaemonPods.get(node.metadata?.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(byCreationTimestampAndPhase)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, nowMs)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/** `storeDaemonSetStatus`; see the module comment. */
export async function storeStatus(
  client: Client,
  api: ApiClient,
  ds: DS,
  counts: DaemonSetCounts,
  updateObservedGeneration: boolean,
): Promise<void> {
  const s = ds.status ?? ({} as NonNullable<DaemonSet['status']>);
  const same = (Object.keys(counts) as Array<keyof DaemonSetCounts>).every(
    (k) => (s[k] ?? 0) === counts[k],
  );
  if (same && (s.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0)) return;
  let toUpdate = structuredClone(ds) as DaemonSet;
  for (let i = 0; ; i++) {
    const status = { ...(toUpdate.status ?? {}), ...counts } as NonNullable<DaemonSet['status']>;
    if (updateObservedGeneration) status.observedGeneration = ds.metadata?.generation;
    toUpdate.status = status;
    try {
      await client.updateStatus(toUpdate, { kind: DaemonSetKind });
      return;
    } catch (err) {
      if (i >= statusUpdateRetries) throw err;
    }
    toUpdate = await api.get(DaemonSetKind, ds.metadata?.name ?? '', {
      namespace: ds.metadata?.namespace,
    });
  }
}
