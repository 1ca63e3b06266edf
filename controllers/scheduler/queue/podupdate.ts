/**
 * `isPodUpdated` (upstream `scheduling_queue.go`): did anything but the status, resourceVersion,
 * generation or managed fields change? Only such an update can make an unschedulable pod
 * schedulable by itself.
 */
import type { Pod } from '../../../framework/index.js';

function strip(pod: Readonly<Pod>): unknown {
  const {
    resourceVersion: _rv,
    generation: _gen,
    managedFields: _mf,
    ...meta
  } = pod.metadata ?? {};
  return { metadata: meta, spec: pod.spec };
}

export function isPodUpdated(old: Readonly<Pod>, updated: Readonly<Pod>): boolean {
  return JSON.stringify(strip(old)) !== JSON.stringify(strip(updated));
}
