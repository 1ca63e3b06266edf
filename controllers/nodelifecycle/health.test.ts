import type { Lease, Node } from '../../framework/index.js';
import { NodeHealthTracker } from './health.js';

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const grace = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

function node(heartbeat?: number, ready = 'True'): Node {
  return {
    metadata: { name: 'n1', creationTimestamp: iso(t0) },
    status: {
      conditions:
        heartbeat === undefined
          ? []
          : [
              {
                type: 'MemoryPressure',
                status: 'False',
                lastHeartbeatTime: iso(heartbeat),
                lastTransitionTime: iso(t0),
              },
              {
                type: 'Ready',
                status: ready,
                lastHeartbeatTime: iso(heartbeat),
                lastTransitionTime: iso(t0),
              },
            ],
    },
  };
}
const lease = (renew: number): Lease => ({ spec: { renewTime: new Date(renew).toISOString() } });

test('a node silent past the grace period turns Unknown: NodeStatusUnknown', () => {
  const h = new NodeHealthTracker(grace);
  expect(h.check(node(t0), undefined, t0).update).toBeUndefined();
  expect(h.check(node(t0), undefined, t0 + 50_000).update).toBeUndefined();
  const r = h.check(node(t0), undefined, t0 + 50_001);
  expect(r.observedReady.status).toBe('True');
  expect(r.currentReady).toMatchObject({
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastTransitionTime: iso(t0 + 50_001),
  });
  const types = r.update!.conditions!.map((c) => [c.type, c.status, c.reason]);
  expect(types).toEqual([
    ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
    ['Ready', 'Unknown', 'NodeStatusUnknown'],
    ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
  ]);
});

test('a renewed Lease alone keeps the node healthy', () => {
  const h = new NodeHealthTracker(grace);
  h.check(node(t0), lease(t0), t0);
  for (let t = t0 + 10_000; t <= t0 + 300_000; t += 10_000) {
    expect(h.check(node(t0), lease(t), t).update).toBeUndefined();
  }
});

test('a new Ready heartbeat alone keeps the node healthy', () => {
  const h = new NodeHealthTracker(grace);
  h.check(node(t0), undefined, t0);
  expect(h.check(node(t0 + 40_000), undefined, t0 + 40_000).update).toBeUndefined();
  expect(h.check(node(t0 + 40_000), undefined, t0 + 89_000).update).toBeUndefined();
  expect(h.check(node(t0 + 40_000), undefined, t0 + 90_001).update).toBeDefined();
});

test('a node that never posted Ready gets the startup grace and NodeStatusNeverUpdated', () => {
  const h = new NodeHealthTracker(grace);
  expect(h.check(node(), undefined, t0 + 60_000).update).toBeUndefined();
  const r = h.check(node(), undefined, t0 + 60_001);
  expect(r.currentReady).toMatchObject({
    status: 'Unknown',
    reason: 'NodeStatusNeverUpdated',
    message: 'Kubelet never posted node status.',
  });
});

test('an Unknown node is not written again while it stays silent', () => {
  const h = new NodeHealthTracker(grace);
  h.check(node(t0), undefined, t0);
  const r = h.check(node(t0), undefined, t0 + 60_000);
  const stored: Node = { ...node(t0), status: r.update };
  expect(h.check(stored, undefined, t0 + 65_000).update).toBeUndefined();
});
