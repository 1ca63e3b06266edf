/**
 * Per-node memo of "how many pods on this node match X" (X = a selector in a namespace, or a
 * set of affinity terms), valid while the node's generation is unchanged. Spreading and
 * inter-pod affinity count matching pods over every node for every pod; pods of one workload
 * share their selectors, so between two pods only the nodes that changed are counted again —
 * per pod O(nodes) instead of O(pods in the cluster).
 *
 * Keys must identify what is counted completely (e.g. `namespace + selector.toString()`). At most
 * {@link maxKeys} keys are remembered (oldest dropped first); entries die with their NodeInfo.
 */
import type { NodeInfo } from './nodeinfo.js';

const maxKeys = 256;

export class MatchCountCache {
  private readonly byKey = new Map<
    string,
    WeakMap<NodeInfo, { generation: number; count: number }>
  >();

  /** `compute(node, arg)` unless remembered for this node generation and key. */
  count<A>(
    node: NodeInfo,
    key: string,
    compute: (node: NodeInfo, arg: A) => number,
    arg: A,
  ): number {
    let perNode = this.byKey.get(key);
    if (!perNode) {
      if (this.byKey.size >= maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
      this.byKey.set(key, (perNode = new WeakMap()));
    }
    const hit = perNode.get(node);
    if (hit && hit.generation === node.generation) return hit.count;
    const count = compute(node, arg);
    perNode.set(node, { generation: node.generation, count });
    return count;
  }
}
