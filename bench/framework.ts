/**
 * `npm run bench:framework`: the operator framework against @kubernetes/client-node, fed by the
 * same kuberx API server in the same run.
 *
 * 1. Informers: kuberx's API server runs in this process (in-memory store); BENCH_PODS sets of
 *    pods (default "10000,100000": realistic spec, status, uid, timestamps and managedFields) are
 *    written in namespace `bench-<n>` straight into the server's store (population is not what is
 *    measured, and the server's create path would take minutes). For each contender a child
 *    process (own heap, `--expose-gc`) lists and caches them through the API server, then receives
 *    BENCH_UPDATES (default 20000, at most the pod count) MODIFIED events while this process
 *    rewrites pods in the store, 64 writes in flight; the API server's watch cache turns them
 *    into watch events as it does for any write. kuberx runs twice: with its default paged list
 *    (pages of 500 at resourceVersion "0") and with a streaming list (`sendInitialEvents`).
 *    Reported: sync and watch events per second of wall time and per CPU-second of the informer
 *    process (wall time is bounded by the server; CPU-seconds measure the informer itself), and
 *    heap bytes per cached pod. The ratio row is kuberx ÷ client-node: above 1 is better for
 *    rates, below 1 is better for heap.
 * 2. Workqueue add+get+done cycles per second (10 000 keys × 20 rounds).
 * 3. Reconciles per second of a no-op controller (50 000 objects, 1 and 4 workers).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer } from '../apiserver/index.js';
import { createLogger } from '../common/index.js';
import type { Pod } from '../framework/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  Namespace,
  RestClient,
  kubeConfigForServer,
} from '../framework/index.js';
import { openEmbeddedStorage, type Storage } from '../store/index.js';
import type { InformerJob, InformerReport } from './framework-informer.js';
import { reconcilesPerSecond, workqueueOpsPerSecond } from './framework-runtime.js';

const podCounts = (process.env.BENCH_PODS ?? '10000,100000').split(',').map(Number);
const maxUpdates = Number(process.env.BENCH_UPDATES ?? 20_000);
const concurrency = 64;
const childScript = fileURLToPath(new URL('./framework-informer.js', import.meta.url));

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function podFor(namespace: string, i: number): Pod {
  const name = `pod-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '5d4f8c7b9' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-5d4f8c7b9',
          uid: '6f1d3a1e-0000-4000-8000-000000000001',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: `node-${i % 100}`,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:1.25.3',
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
          env: [
            { name: 'MODE', value: 'production' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
  };
}

function podStatus(i: number) {
  const t = '2026-01-01T00:00:10Z';
  return {
    status: {
      phase: 'Running',
      podIP: `10.0.${(i >> 8) & 255}.${i & 255}`,
      hostIP: `192.168.0.${i % 100}`,
      startTime: t,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: t,
      })),
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/web:1.25.3',
          imageID: 'sha256:0123456789abcdef',
          started: true,
          state: { running: { startedAt: t } },
        },
      ],
    },
  };
}

/** Where the API server keeps pod `name` of `namespace`. */
const podKey = (namespace: string, name: string) => `/registry/pods/${namespace}/${name}`;

/** A pod as the API server stores it (status, uid, timestamps and managedFields included). */
function storedPod(namespace: string, i: number, round: string): Uint8Array {
  const pod = podFor(namespace, i);
  const t = '2026-01-01T00:00:00Z';
  const meta = pod.metadata!;
  meta.uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  meta.creationTimestamp = t;
  if (round) meta.labels = { ...meta.labels, round };
  meta.managedFields = [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: t,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} },
          'f:ownerReferences': { '.': {} },
        },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': {},
              'f:resources': {},
            },
          },
          'f:volumes': {},
        },
      },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: t,
      fieldsType: 'FieldsV1',
      subresource: 'status',
      fieldsV1: {
        'f:status': {
          'f:conditions': {},
          'f:containerStatuses': {},
          'f:hostIP': {},
          'f:phase': {},
          'f:podIP': {},
          'f:startTime': {},
        },
      },
    },
  ];
  return Buffer.from(JSON.stringify({ ...pod, ...podStatus(i) }));
}

/** Writes `count` pods into the store; returns their modRevisions (for later updates). */
async function populate(
  client: ApiClient,
  storage: Storage,
  namespace: string,
  count: number,
): Promise<number[]> {
  await client.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { kind: Namespace },
  );
  const revisions: number[] = [];
  await pool([...Array(count).keys()], async (i) => {
    const result = await storage.create(podKey(namespace, `pod-${i}`), storedPod(namespace, i, ''));
    if (!result.succeeded) throw new Error(`pod-${i} exists`);
    revisions[i] = result.revision;
  });
  return revisions;
}

async function measure(
  contender: InformerJob['contender'],
  job: Omit<InformerJob, 'contender'>,
  storage: Storage,
  revisions: number[],
): Promise<{ synced: InformerReport; watched: InformerReport }> {
  const child = fork(childScript, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: InformerReport[] = [];
  let wake!: () => void;
  child.on('message', (m: InformerReport) => {
    reports.push(m);
    wake?.();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const next = async (): Promise<InformerReport> => {
    while (reports.length === 0) {
      const woke = new Promise<void>((r) => (wake = r));
      const code = await Promise.race([woke.then(() => undefined), exited]);
      if (code !== undefined && reports.length === 0)
        throw new Error(`${contender} child exited (${code})`);
    }
    return reports.shift()!;
  };
  child.send({ ...job, contender });
  const synced = await next();
  await pool([...Array(job.updates).keys()], async (i) => {
    const key = podKey(job.namespace, `pod-${i}`);
    const result = await storage.update(key, storedPod(job.namespace, i, contender), revisions[i]!);
    if (!result.succeeded) throw new Error(`update of ${key} lost a race`);
    revisions[i] = result.revision;
  });
  const watched = await next();
  await exited;
  return { synced, watched };
}

const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main(): Promise<void> {
  const storage = await openEmbeddedStorage({ memory: true });
  const server = createApiServer({
    storage,
    port: 0,
    compactionIntervalMs: 0,
    logger: createLogger({ component: 'apiserver', level: 'silent' }),
  });
  const { url } = await server.start();
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const kubeConfig = kubeConfigForServer(url);
  writeFileSync(kubeconfig, kubeConfig.exportConfig());
  const client = new ApiClient(new RestClient(new KubeConfigTransport(kubeConfig)));
  print(
    `# framework benchmark (node ${process.version}, kuberx API server in-process, in-memory store)`,
  );
  try {
    for (const pods of podCounts) {
      const namespace = `bench-${pods}`;
      const revisions = await populate(client, storage, namespace, pods);
      const updates = Math.min(maxUpdates, pods);
      print(`\n## ${pods} pods, ${updates} updates`);
      const job = { kubeconfig, namespace, pods, updates };
      const ours = await measure('kuberx', job, storage, revisions);
      const streaming = await measure('kuberx-streaming', job, storage, revisions);
      const theirs = await measure('client-node', job, storage, revisions);
      const row = (name: string, r: typeof ours) =>
        `| ${name} | ${rate(pods, r.synced.wallMs)} | ${rate(pods, r.synced.cpuMs)} | ${rate(updates, r.watched.wallMs)} | ${rate(updates, r.watched.cpuMs)} | ${Math.round(r.synced.heapBytesPerPod!)} |`;
      print(
        '| informer | sync events/s (wall) | sync events/CPU-s | watch events/s (wall) | watch events/CPU-s | heap bytes/pod |',
      );
      print('|---|---|---|---|---|---|');
      print(row('kuberx (paged list, the default)', ours));
      print(row('kuberx (streaming list)', streaming));
      print(row('client-node makeInformer', theirs));
      const ratios = (name: string, r: typeof ours) =>
        `| ${name} ÷ client-node | ${ratio(theirs.synced.wallMs, r.synced.wallMs)} | ${ratio(theirs.synced.cpuMs, r.synced.cpuMs)} | ${ratio(theirs.watched.wallMs, r.watched.wallMs)} | ${ratio(theirs.watched.cpuMs, r.watched.cpuMs)} | ${ratio(r.synced.heapBytesPerPod!, theirs.synced.heapBytesPerPod!)} |`;
      print(ratios('kuberx (paged)', ours));
      print(ratios('kuberx (streaming)', streaming));
    }
    print('\n## workqueue (add + get + done per second, 10000 keys × 20 rounds)');
    for (const kind of ['queue', 'ratelimiting', 'priority'] as const) {
      print(`- ${kind}: ${Math.round(await workqueueOpsPerSecond(kind, 10_000, 20))} ops/s`);
    }
    print('\n## reconciles per second (no-op reconciler, 50000 objects via a fake informer)');
    for (const workers of [1, 4]) {
      print(
        `- ${workers} worker(s): ${Math.round(await reconcilesPerSecond(50_000, workers))} reconciles/s`,
      );
    }
  } finally {
    await server.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
