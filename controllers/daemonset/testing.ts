/**
 * Test helper (not exported from `index.ts`): the scheduler and the kubelets for one namespace,
 * for tests that run neither. Every few milliseconds, until stopped:
 *
 * - an unbound pod is bound (`pods/binding`) to the node its DaemonSet node affinity names, or
 *   else to the first node (by name) that is not cordoned;
 * - a bound pod that is not Ready is marked Running and Ready at `now()`;
 * - a pod being deleted is deleted with grace 0, as a kubelet does once its containers stopped.
 *
 * Pods `hold` accepts are left alone. Errors (conflicts, a stopping server) are ignored; the next
 * round tries again.
 */
import { Node, Pod, resourcePath, type ApiClient } from '../../framework/index.js';
import { markReady } from '../util/testing.js';
import { targetNodeName } from './placement.js';

export interface PlayKubeletsOptions {
  /** Time of the Ready transitions (default: wall time). */
  now?: () => number;
  /** Pods to leave alone. */
  hold?: (pod: Pod) => boolean;
}

export function playKubelets(
  client: ApiClient,
  namespace: string,
  options: PlayKubeletsOptions = {},
): { stop(): Promise<void> } {
  const now = options.now ?? (() => Date.now());
  const hold = options.hold ?? (() => false);
  let stopped = false;
  const step = async (pod: Pod, nodes: Node[]) => {
    const name = pod.metadata!.name!;
    if (pod.metadata?.deletionTimestamp) {
      await client.delete(Pod, name, { namespace, gracePeriodSeconds: 0 });
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (!pod.spec?.nodeName) {
      const target =
        targetNodeName(pod) ?? nodes.find((n) => !n.spec?.unschedulable)?.metadata?.name;
      if (!target) return;
      await client.rest.json({
        method: 'POST',
        path: resourcePath(Pod, { namespace, name, subresource: 'binding' }),
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name },
          target: { kind: 'Node', name: target },
        },
      });
      return;
    }
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    await markReady(client, pod, now());
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        const nodes = (await client.list(Node)).items.sort((a, b) =>
          (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1,
        );
        for (const pod of (await client.list(Pod, { namespace })).items) {
          if (stopped) break;
          if (!hold(pod)) await step(pod, nodes).catch(() => undefined);
        }
      } catch {
        // the server may be stopping
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
