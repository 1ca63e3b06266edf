/**
 * Jobs on `kuberx up`'s cluster with kubectl 1.33: the simulated kubelets run containers for the
 * time and exit code their annotations ask (`kuberx.io/run-time`, `kuberx.io/exit-code`), so
 * completion and failure go through the Job controller as on a real cluster.
 */
import { jest } from '@jest/globals';
import { describeCluster, pods, TestCluster } from './harness.js';

jest.setTimeout(90_000);

describeCluster('kuberx up: Jobs with kubectl 1.33', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start();
  }, 60_000);
  afterAll(() => c?.stop());

  test('a Job runs to completion', async () => {
    await c.apply(`apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    metadata:
      annotations:
        kuberx.io/run-time: 2s
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
`);
    await c.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s']);
    const [pod] = await pods(c, 'job-name=pi');
    expect(pod?.status.phase).toBe('Succeeded');
    expect(await c.ok(['get', 'job', 'pi'])).toMatch(/pi\s+Complete\s+1\/1/);
  });

  test('a Job whose pod exits non-zero fails with BackoffLimitExceeded', async () => {
    await c.apply(`apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations:
        kuberx.io/exit-code: "3"
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "exit 3"]
`);
    await c.ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=60s']);
    const job = await c.json<{ status: { conditions: { type: string; reason: string }[] } }>([
      'job',
      'broken',
    ]);
    expect(job.status.conditions.find((x) => x.type === 'Failed')?.reason).toBe(
      'BackoffLimitExceeded',
    );
  });
});
