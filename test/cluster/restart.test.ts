/**
 * A cluster started again over the same data dir is the same cluster: same CA and credentials,
 * same nodes (uids), same pods still running (same uid, IP and container), and it keeps working.
 */
import { jest } from '@jest/globals';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployment, describeCluster, pods, TestCluster, type PodJson } from './harness.js';

jest.setTimeout(120_000);

describeCluster('kuberx up: a restart resumes the same cluster', () => {
  let dir: string;
  let c: TestCluster | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-restart-'));
  });
  afterAll(async () => {
    await c?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('nodes, pods and credentials survive a stop and start', async () => {
    c = await TestCluster.start({ dataDir: dir });
    await c.apply(deployment('keep', 2));
    await c.ok(['rollout', 'status', 'deployment/keep', '--timeout=60s']);
    const nodesBefore = await c.json<{ items: { metadata: { name: string; uid: string } }[] }>([
      'nodes',
    ]);
    const podsBefore = await pods(c, 'app=keep');
    const caBefore = await readFile(join(dir, 'pki', 'ca.crt'), 'utf8');
    await c.stop();
    c = undefined;

    c = await TestCluster.start({ dataDir: dir });
    expect(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8')).toBe(caBefore);
    const nodesAfter = await c.json<{ items: { metadata: { name: string; uid: string } }[] }>([
      'nodes',
    ]);
    expect(nodesAfter.items.map((n) => n.metadata.uid).sort()).toEqual(
      nodesBefore.items.map((n) => n.metadata.uid).sort(),
    );
    expect(await c.ok(['get', 'nodes'])).not.toContain('NotReady');

    const summary = (list: PodJson[]) =>
      list
        .map((p) => [p.metadata.uid, p.spec.nodeName, p.status.podIP, p.status.phase])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    await c.ok(['rollout', 'status', 'deployment/keep', '--timeout=60s']);
    expect(summary(await pods(c, 'app=keep'))).toEqual(summary(podsBefore));
    const restarts = (await pods(c, 'app=keep')).map(
      (p) => p.status.containerStatuses?.[0]?.restartCount,
    );
    expect(restarts).toEqual([0, 0]);

    await c.ok(['scale', 'deployment/keep', '--replicas=4']);
    await c.apply(deployment('fresh', 1));
    await c.ok(['rollout', 'status', 'deployment/keep', '--timeout=60s']);
    await c.ok(['rollout', 'status', 'deployment/fresh', '--timeout=60s']);
    const ips = (await pods(c, 'app=keep')).map((p) => p.status.podIP);
    expect(new Set(ips).size).toBe(4);
  });
});
