import type { Pod } from '../../framework/index.js';
import { parsePodBehaviour } from './annotations.js';
import { advance, kill, newPodRuntime, nextChange, restorePodRuntime } from './podruntime.js';
import {
  desiredPodStatus,
  imageIDFor,
  imageRepository,
  statusPatch,
  statusUpToDate,
  type DesiredPodStatus,
} from './podstatus.js';

const t0 = Date.UTC(2026, 0, 1);
const node = { ip: '172.18.0.3' };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(over: {
  restartPolicy?: string;
  annotations?: Record<string, string>;
  containers?: NonNullable<Pod['spec']>['containers'];
  initContainers?: NonNullable<Pod['spec']>['initContainers'];
  readinessGates?: NonNullable<Pod['spec']>['readinessGates'];
  conditions?: NonNullable<Pod['status']>['conditions'];
}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', annotations: over.annotations },
    spec: {
      restartPolicy: over.restartPolicy ?? 'Always',
      containers: over.containers ?? [{ name: 'app', image: 'nginx:1.25' }],
      initContainers: over.initContainers,
      readinessGates: over.readinessGates,
    },
    status: { phase: 'Pending', conditions: over.conditions ?? [] },
  };
}

/** Runs `p` from t0 to `at` and returns what the kubelet would post then. */
function statusAt(p: Pod, at: number, startedAt = t0): DesiredPodStatus {
  const rt = newPodRuntime(p, parsePodBehaviour(p).behaviour, startedAt, {
    backOffInitialMs: 10_000,
  });
  advance(rt, at);
  return desiredPodStatus(p, rt, node, '10.64.0.2', at);
}

const cond = (s: DesiredPodStatus, type: string) => s.conditions.find((c) => c.type === type);

describe('a long-running pod', () => {
  const s = statusAt(pod({}), t0);

  test('is Running with every kubelet condition True, in kubectl order', () => {
    expect(s.phase).toBe('Running');
    expect(s.conditions.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    expect(cond(s, 'Ready')!.lastTransitionTime).toBe(iso(t0));
  });

  test('reports a started, ready container with ids, start time and addresses', () => {
    expect(s.containerStatuses).toEqual([
      {
        name: 'app',
        image: 'nginx:1.25',
        imageID: imageIDFor('nginx:1.25'),
        containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/),
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: iso(t0) } },
        lastState: {},
      },
    ]);
    expect([s.hostIP, s.podIP, s.startTime]).toEqual([node.ip, '10.64.0.2', iso(t0)]);
  });
});

test.each([
  ['nginx', 'docker.io/library/nginx'],
  ['nginx:1.25', 'docker.io/library/nginx'],
  ['bitnami/redis:7', 'docker.io/bitnami/redis'],
  ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause'],
  ['localhost:5000/app@sha256:abc', 'localhost:5000/app'],
])('image %s is reported from repository %s', (image, repo) => {
  expect(imageRepository(image)).toBe(repo);
  expect(imageIDFor(image)).toMatch(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`));
});

test('readiness waits for readinessProbe.initialDelaySeconds and says when to look again', () => {
  const p = pod({
    containers: [{ name: 'app', image: 'nginx', readinessProbe: { initialDelaySeconds: 5 } }],
  });
  const rt = newPodRuntime(p, parsePodBehaviour(p).behaviour, t0);
  const early = desiredPodStatus(p, rt, node, undefined, t0 + 4_000);
  expect(cond(early, 'Ready')).toMatchObject({
    status: 'False',
    reason: 'ContainersNotReady',
    message: 'containers with unready status: [app]',
  });
  expect(early.containerStatuses[0]).toMatchObject({ ready: false, started: true });
  expect(nextChange(rt, t0 + 4_000)).toBe(t0 + 5_000);
  expect(cond(desiredPodStatus(p, rt, node, undefined, t0 + 5_000), 'Ready')!.status).toBe('True');
});

test('a startup probe holds started (and ready) back until its initial delay', () => {
  const p = pod({
    containers: [{ name: 'app', image: 'x', startupProbe: { initialDelaySeconds: 3 } }],
  });
  expect(statusAt(p, t0 + 2_000).containerStatuses[0]).toMatchObject({
    started: false,
    ready: false,
  });
  expect(statusAt(p, t0 + 3_000).containerStatuses[0]).toMatchObject({
    started: true,
    ready: true,
  });
});

test('kuberx.io/ready=false keeps containers from ever becoming ready', () => {
  const s = statusAt(pod({ annotations: { 'kuberx.io/ready': 'false' } }), t0 + 3_600_000);
  expect(s.phase).toBe('Running');
  expect(cond(s, 'ContainersReady')!.status).toBe('False');
});

describe.each([
  // [restartPolicy, annotations, at (ms after start), phase, container state]
  ['Never', {}, 999, 'Running', { running: { startedAt: iso(t0) } }],
  ['Never', {}, 1_000, 'Succeeded', { terminated: { exitCode: 0, reason: 'Completed' } }],
  [
    'Never',
    { 'kuberx.io/exit-code': '3' },
    1_000,
    'Failed',
    { terminated: { exitCode: 3, reason: 'Error' } },
  ],
  [
    'OnFailure',
    { 'kuberx.io/run-time': '2s' },
    2_000,
    'Succeeded',
    { terminated: { exitCode: 0 } },
  ],
  [
    'OnFailure',
    { 'kuberx.io/exit-code': '1' },
    1_000,
    'Running',
    { waiting: { reason: 'CrashLoopBackOff' } },
  ],
  [
    'Always',
    { 'kuberx.io/run-time': '500ms' },
    600,
    'Running',
    { waiting: { reason: 'CrashLoopBackOff' } },
  ],
])('restartPolicy %s with %j', (restartPolicy, annotations, after, phase, state) => {
  const s = statusAt(pod({ restartPolicy, annotations }), t0 + after);

  test(`is ${phase} ${after} ms after it started`, () => {
    expect(s.phase).toBe(phase);
    expect(s.containerStatuses[0]!.state).toMatchObject(state);
  });

  if (phase === 'Succeeded' || phase === 'Failed') {
    test('has Ready and ContainersReady False with reason PodCompleted', () => {
      expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      expect(cond(s, 'PodReadyToStartContainers')!.status).toBe('False');
    });
  }
});

test('a failing OnFailure container restarts after 10 s, then backs off 20 s', () => {
  const p = pod({ restartPolicy: 'OnFailure', annotations: { 'kuberx.io/exit-code': '1' } });
  const backingOff = statusAt(p, t0 + 1_000).containerStatuses[0]!;
  expect(backingOff).toMatchObject({
    restartCount: 0,
    ready: false,
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: 'back-off 10s restarting failed container=app pod=p_ns(uid-1)',
      },
    },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: iso(t0 + 1_000) } },
  });
  const restarted = statusAt(p, t0 + 11_000).containerStatuses[0]!;
  expect(restarted).toMatchObject({
    restartCount: 1,
    state: { running: { startedAt: iso(t0 + 11_000) } },
  });
  expect(restarted.containerID).not.toBe(backingOff.lastState!.terminated!.containerID);
  const second = statusAt(p, t0 + 12_000).containerStatuses[0]!;
  expect(second.state!.waiting!.message).toMatch(/^back-off 20s/);
  expect(statusAt(p, t0 + 32_000).containerStatuses[0]!.restartCount).toBe(2);
});

test('init containers run first: Pending and not Initialized until they complete', () => {
  const p = pod({
    annotations: { 'kuberx.io/init-run-time': '2s' },
    initContainers: [
      { name: 'init-a', image: 'busybox' },
      { name: 'init-b', image: 'busybox' },
    ],
  });
  const first = statusAt(p, t0 + 1_000);
  expect(first.phase).toBe('Pending');
  expect(cond(first, 'Initialized')).toMatchObject({
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: 'containers with incomplete status: [init-a init-b]',
  });
  expect(first.initContainerStatuses!.map((c) => Object.keys(c.state!)[0])).toEqual([
    'running',
    'waiting',
  ]);
  expect(first.containerStatuses[0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
  const done = statusAt(p, t0 + 4_000);
  expect(done.phase).toBe('Running');
  expect(done.initContainerStatuses!.map((c) => c.state!.terminated?.reason)).toEqual([
    'Completed',
    'Completed',
  ]);
  expect(done.containerStatuses[0]!.state!.running!.startedAt).toBe(iso(t0 + 4_000));
});

test('a failed init container under restartPolicy Never fails the pod', () => {
  const p = pod({
    restartPolicy: 'Never',
    annotations: { 'kuberx.io/init-exit-code': '2' },
    initContainers: [{ name: 'init', image: 'busybox' }],
  });
  const s = statusAt(p, t0);
  expect(s.phase).toBe('Failed');
  expect(cond(s, 'Initialized')!.status).toBe('False');
});

test('a sidecar runs alongside and is stopped when the main container completes', () => {
  const p = pod({
    restartPolicy: 'Never',
    initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
  });
  const running = statusAt(p, t0 + 500);
  expect([running.phase, running.initContainerStatuses![0]!.ready]).toEqual(['Running', true]);
  const done = statusAt(p, t0 + 1_000);
  expect(done.phase).toBe('Succeeded');
  expect(done.initContainerStatuses![0]!.state!.terminated).toBeDefined();
});

test('a graceful deletion stops containers with 143 and ends the pod Failed', () => {
  const p = pod({});
  const rt = newPodRuntime(p, parsePodBehaviour(p).behaviour, t0);
  kill(rt, t0 + 5_000);
  const s = desiredPodStatus(p, rt, node, '10.64.0.2', t0 + 5_000);
  expect(s.phase).toBe('Failed');
  expect(s.containerStatuses[0]!.state).toEqual({
    terminated: expect.objectContaining({
      exitCode: 143,
      reason: 'Error',
      finishedAt: iso(t0 + 5_000),
    }),
  });
  expect(nextChange(rt, t0 + 5_000)).toBe(Infinity);
});

test('readiness gates without their condition keep the pod not Ready', () => {
  const s = statusAt(pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }), t0);
  expect(cond(s, 'ContainersReady')!.status).toBe('True');
  expect(cond(s, 'Ready')).toMatchObject({
    status: 'False',
    reason: 'ReadinessGatesNotReady',
    message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.',
  });
});

test('PodScheduled is left to the binding when it is there already', () => {
  const scheduled = { type: 'PodScheduled', status: 'True', lastTransitionTime: iso(t0 - 1_000) };
  expect(cond(statusAt(pod({ conditions: [scheduled] }), t0), 'PodScheduled')).toBeUndefined();
});

test('a condition keeps its lastTransitionTime while its status does not change', () => {
  const p = pod({});
  const first = statusAt(p, t0);
  const stored: Pod = { ...p, status: { ...p.status, conditions: first.conditions } };
  const later = statusAt(stored, t0 + 60_000);
  expect(cond(later, 'Ready')!.lastTransitionTime).toBe(iso(t0));
});

test('the posted status is recognised as up to date, even with empty fields dropped', () => {
  const p = pod({});
  const s = statusAt(p, t0);
  const stored: Pod = {
    ...p,
    status: {
      ...s,
      hostIPs: [{ ip: s.hostIP }],
      containerStatuses: s.containerStatuses.map(({ lastState: _, ...c }) => c),
    },
  };
  expect(statusUpToDate(stored, statusAt(stored, t0))).toBe(true);
  expect(statusUpToDate(p, s)).toBe(false);
});

test('the patch orders kubelet conditions first and keeps the others', () => {
  const disruption = { type: 'DisruptionTarget', status: 'True' };
  const scheduled = { type: 'PodScheduled', status: 'True' };
  const p = pod({ conditions: [scheduled, disruption] });
  const patch = statusPatch(p, statusAt(p, t0)) as {
    metadata: unknown;
    status: Record<string, unknown>;
  };
  expect(patch.metadata).toEqual({ uid: 'uid-1' });
  expect(patch.status['$setElementOrder/conditions']).toEqual(
    [
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
      'DisruptionTarget',
    ].map((type) => ({ type })),
  );
  expect((patch.status.containerStatuses as { state: unknown }[])[0]!.state).toEqual({
    waiting: null,
    running: { startedAt: iso(t0) },
    terminated: null,
  });
  expect(patch.status.podIPs).toEqual([{ ip: '10.64.0.2' }]);
});

test('a restarted kubelet takes a running pod over from its status', () => {
  const p = pod({});
  const before = statusAt(p, t0);
  const stored: Pod = { ...p, status: { ...before } };
  const rt = restorePodRuntime(stored, parsePodBehaviour(stored).behaviour, t0 + 60_000);
  const after = desiredPodStatus(stored, rt, node, '10.64.0.2', t0 + 60_000);
  expect(after.containerStatuses).toEqual(before.containerStatuses);
  expect(after.startTime).toBe(iso(t0));
});

test('a Job pod whose run time passed while the kubelet was down completes on take-over', () => {
  const p = pod({ restartPolicy: 'Never' });
  const stored: Pod = { ...p, status: { ...statusAt(p, t0) } };
  const rt = restorePodRuntime(stored, parsePodBehaviour(stored).behaviour, t0 + 60_000);
  advance(rt, t0 + 60_000);
  expect(rt.terminal).toBe('Succeeded');
});
