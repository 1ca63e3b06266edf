/**
 * `kuberx scheduler --kubeconfig FILE` (in-process through `runCli`): it says it is ready, binds a
 * pod of the cluster the kubeconfig names, serves metrics and health, and stops cleanly on
 * SIGINT. A missing kubeconfig and a bad flag are clear errors.
 */
import { kinds } from '../../framework/index.js';
import { eventually, startTestEnv } from '../../framework/testing/index.js';
import { runCli } from '../../cli/index.js';
import { makeNode, makePod } from '../../controllers/scheduler/index.js';

function capture() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    },
    out: () => out,
    err: () => err,
  };
}

describe('kuberx scheduler', () => {
  test('runs against the kubeconfig cluster until SIGINT', async () => {
    const env = await startTestEnv();
    const io = capture();
    const exit = runCli(
      [
        'node',
        'kuberx',
        'scheduler',
        '--kubeconfig',
        env.kubeconfigPath,
        '--metrics-bind-address',
        '127.0.0.1:0',
      ],
      io.io,
    );
    try {
      await eventually(() => io.out().includes('kuberx scheduler ready'), 'ready line');
      const url = /metrics on (http:\/\/\S+)/.exec(io.out())![1]!;
      const node = makeNode('n1');
      const pod = makePod('p1');
      delete node.metadata!.uid;
      delete node.metadata!.resourceVersion;
      delete pod.metadata!.uid;
      delete pod.metadata!.resourceVersion;
      await env.client.create(node);
      await env.client.create(pod);
      await eventually(
        async () =>
          (await env.client.get(kinds.Pod, 'p1', { namespace: 'default' })).spec?.nodeName === 'n1',
        'p1 bound',
      );
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toContain(
        'scheduler_schedule_attempts_total',
      );
    } finally {
      process.emit('SIGINT');
      expect(await exit).toBe(0);
      await env.stop();
    }
  });

  test('a missing kubeconfig file is a clear error', async () => {
    const io = capture();
    const code = await runCli(
      ['node', 'kuberx', 'scheduler', '--kubeconfig', '/nonexistent/kubeconfig'],
      io.io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('/nonexistent/kubeconfig');
  });

  test('--percentage-of-nodes-to-score must be 0–100', async () => {
    const io = capture();
    const code = await runCli(
      ['node', 'kuberx', 'scheduler', '--percentage-of-nodes-to-score', '150'],
      io.io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('is not a whole percentage from 0 to 100');
  });
});
