/**
 * The pods-by-node index on the shared pod informer (upstream `nodeNameKeyIndex`): both the node
 * lifecycle and the taint eviction controllers list a node's pods without scanning every pod.
 */
import type { Informer, Pod } from '../../framework/index.js';

export const nodeNameIndex = 'spec.nodeName';

/** Adds the index once (several controllers share the informer). */
export function ensureNodeNameIndex(pods: Informer<Pod>): void {
  if (pods.store.indexNames().includes(nodeNameIndex)) return;
  pods.addIndexers({ [nodeNameIndex]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
}

/** The cached pods bound to `nodeName`. */
export function podsOnNode(pods: Informer<Pod>, nodeName: string): Readonly<Pod>[] {
  return pods.store.byIndex(nodeNameIndex, nodeName);
}
