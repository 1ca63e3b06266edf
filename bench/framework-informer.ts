/**
 * Child process of `npm run bench:framework`: runs one informer (ours or client-node's
 * `makeInformer`) against the API server, and reports to the parent over IPC:
 * - `synced`: time and CPU to list and cache every pod, and heap per cached pod (after GC);
 * - `watched`: time and CPU to receive `updates` MODIFIED events.
 * Run with `--expose-gc`.
 */
import { CoreV1Api, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { performance } from 'node:perf_hooks';
import {
  KubeConfigTransport,
  Pod,
  RestClient,
  SharedIndexInformer,
  loadKubeConfig,
} from '../framework/index.js';

export interface InformerJob {
  contender: 'kuberx' | 'kuberx-streaming' | 'client-node';
  kubeconfig: string;
  namespace: string;
  pods: number;
  updates: number;
}

export interface InformerReport {
  phase: 'synced' | 'watched';
  wallMs: number;
  cpuMs: number;
  heapBytesPerPod?: number;
  cached?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function run(job: InformerJob): Promise<void> {
  const kubeConfig = loadKubeConfig({ file: job.kubeconfig });
  let updates = 0;
  let firstUpdate = 0;
  let cpuAtFirst: NodeJS.CpuUsage = process.cpuUsage();
  let done!: () => void;
  const allUpdates = new Promise<void>((r) => (done = r));
  const onUpdate = (): void => {
    if (updates++ === 0) {
      firstUpdate = performance.now();
      cpuAtFirst = process.cpuUsage();
    }
    if (updates === job.updates) done();
  };

  const baseline = heapUsed();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let size: () => number;
  if (job.contender !== 'client-node') {
    const rest = new RestClient(new KubeConfigTransport(kubeConfig));
    const informer = new SharedIndexInformer(rest, Pod, {
      namespace: job.namespace,
      initialListStrategy: job.contender === 'kuberx-streaming' ? 'streaming' : 'list',
    });
    informer.addEventHandler({ onUpdate });
    informer.start();
    await informer.synced();
    size = () => informer.store.size;
  } else {
    const api = kubeConfig.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(
      kubeConfig,
      `/api/v1/namespaces/${job.namespace}/pods`,
      () => api.listNamespacedPod({ namespace: job.namespace }),
    );
    informer.on('update', onUpdate);
    informer.on('error', () => setTimeout(() => void informer.start(), 1000));
    await informer.start();
    // start() does not wait for the list to be cached: poll until every pod is there.
    while (informer.list().length < job.pods) await new Promise((r) => setImmediate(r));
    size = () => informer.list().length;
  }
  const synced: InformerReport = {
    phase: 'synced',
    wallMs: performance.now() - t0,
    cpuMs: cpuMs(cpu0),
    cached: size(),
  };
  synced.heapBytesPerPod = (heapUsed() - baseline) / job.pods;
  process.send!(synced);
  await allUpdates;
  const watched: InformerReport = {
    phase: 'watched',
    wallMs: performance.now() - firstUpdate,
    cpuMs: cpuMs(cpuAtFirst),
  };
  process.send!(watched);
  process.exit(0);
}

process.once('message', (job: InformerJob) => {
  run(job).catch((err) => {
    process.stderr.write(`informer child failed: ${String(err)}\n`);
    process.exit(1);
  });
});
