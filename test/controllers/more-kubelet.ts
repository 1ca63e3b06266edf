/**
 * The test's stand-in for the scheduler and the kubelets in the `more-*` suites (DaemonSet,
 * StatefulSet, disruption, HPA), so they need neither: every few milliseconds, for one namespace,
 *
 * - an unbound pod is bound (`pods/binding`) to the node its DaemonSet node affinity names, or else
 *   to the first node that is not cordoned;
 * - a bound pod that is not Ready is marked Running and Ready (with a start time);
 * - a pod being deleted is deleted with grace 0, as a kubelet does once its containers stopped.
 *
 * Pods `hold` accepts are left alone. Real time: real kubectl processes run alongside.
 */
import { targetNodeName } from '../../controllers/daemonset/index.js';
import { Node, Pod, resourcePath, type ApiClient } from '../../framework/index.js';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface PlayedKubelets {
  stop(): Promise<void>;
}

export function playKubelets(
  client: ApiClient,
  namespace: string,
  hold: (pod: Pod) => boolean = () => false,
): PlayedKubelets {
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
    const now = rfc3339(Date.now());
    await client.updateStatus(
      {
        ...pod,
        status: {
          ...pod.status,
          phase: 'Running',
          startTime: pod.status?.startTime ?? now,
          conditions: [
            { type: 'Initialized', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'True', lastTransitionTime: now },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          ],
        },
      },
      { kind: Pod },
    );
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        const nodes = (await client.list(Node)).items.sort((a, b) =>
          (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1,
        );
        for (const pod of (await client.list(Pod, { namespace })).items) {
          if (stopped) break;
          if (hold(pod)) continue;
          await step(pod, nodes).catch(() => undefined);
        }
      } catch {
        // the server may be stopping
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
