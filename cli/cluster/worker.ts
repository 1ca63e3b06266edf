/**
 * Worker-thread entry of `kuberx up`'s components (see `components.ts` and `threads.ts`). It loads
 * its modules as soon as it is spawned, then waits for `start` with the `ComponentsConfig`, starts
 * the components and answers by messages — `progress`, `ready` (with the enabled controllers) or
 * `error`; it answers `runningPods` and, on `stop`, stops everything and says `stopped`.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { startComponents, type ComponentsConfig } from './components.js';

export type ToWorker =
  | { type: 'start'; config: ComponentsConfig }
  | { type: 'stop' }
  | { type: 'runningPods'; id: number };
export type FromWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'ready'; enabled: string[] }
  | { type: 'error'; message: string }
  | { type: 'runningPods'; id: number; value: number }
  | { type: 'stopped' };

async function run(config: ComponentsConfig): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorker) => port.postMessage(m);
  try {
    const running = await startComponents(config, {
      onProgress: (done, total) => send({ type: 'progress', done, total }),
    });
    port.on('message', (m: ToWorker) => {
      if (m.type === 'runningPods') {
        send({ type: 'runningPods', id: m.id, value: running.nodes.runningPods() });
      } else if (m.type === 'stop') {
        void running.stop().then(() => {
          send({ type: 'stopped' });
          port.close();
        });
      }
    });
    send({ type: 'ready', enabled: [...running.enabled] });
  } catch (err) {
    send({
      type: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    port.close();
  }
}

if (!isMainThread && parentPort) {
  parentPort.once('message', (m: ToWorker) => {
    if (m.type === 'start') void run(m.config);
  });
}
