/**
 * Two `kuberx scheduler` processes (managers) with `--leader-elect` against one API server: only
 * the holder of the Lease kube-system/kube-scheduler schedules; when it stops it releases the
 * Lease and the standby — whose informers are already warm — takes over and schedules. Lease
 * timings are shortened so the hand-over is quick; the test polls, it does not time.
 */
import { kinds, type Manager } from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';
import { createSchedulerManager, makeNode, makePod } from '../../controllers/scheduler/index.js';

let env: TestEnv;

afterEach(async () => {
  await env?.stop();
});

function candidate(identity: string): { manager: Manager; stop: () => Promise<void> } {
  const { manager } = createSchedulerManager({
    kubeConfig: env.kubeConfig,
    leaderElect: true,
    leaseDurationMs: 1500,
    renewDeadlineMs: 1000,
    retryPeriodMs: 100,
    leaderElectionIdentity: identity,
    metricsBindAddress: '0',
  });
  const ctl = new AbortController();
  const running = manager.start(ctl.signal).catch(() => {});
  return {
    manager,
    stop: async () => {
      ctl.abort();
      await running;
    },
  };
}

async function createPod(name: string) {
  const pod = makePod(name);
  delete pod.metadata!.uid;
  delete pod.metadata!.resourceVersion;
  await env.client.create(pod);
}

async function boundTo(name: string): Promise<string> {
  let node = '';
  await eventually(async () => {
    node = (await env.client.get(kinds.Pod, name, { namespace: 'default' })).spec?.nodeName ?? '';
    return node !== '';
  }, `${name} bound`);
  return node;
}

test('only the leader schedules; the standby takes over when the leader stops', async () => {
  env = await startTestEnv();
  const node = makeNode('n1');
  delete node.metadata!.uid;
  delete node.metadata!.resourceVersion;
  await env.client.create(node);

  const a = candidate('scheduler-a');
  await eventually(() => a.manager.isLeader(), 'a leads');
  const b = candidate('scheduler-b');
  try {
    await createPod('first');
    expect(await boundTo('first')).toBe('n1');
    expect(b.manager.isLeader()).toBe(false);
    const lease = await env.client.get(kinds.Lease, 'kube-scheduler', { namespace: 'kube-system' });
    expect(lease.spec?.holderIdentity).toBe('scheduler-a');

    await a.stop();
    await eventually(() => b.manager.isLeader(), 'b leads');
    await createPod('second');
    expect(await boundTo('second')).toBe('n1');
    const after = await env.client.get(kinds.Lease, 'kube-scheduler', { namespace: 'kube-system' });
    expect(after.spec?.holderIdentity).toBe('scheduler-b');
  } finally {
    await a.stop();
    await b.stop();
  }
});
