/**
 * The pure scheduling loop of `npm run bench:scheduler`: the scheduler core with an in-memory
 * client (no HTTP, no API server). Nodes and init pods are fed through the event handlers as
 * informers would; each binding is reported back as the informer's "pod bound" update, so the
 * cache handles confirmations as it does in a cluster. Pods are handed to the queue all at once
 * and the clock runs from the first pop to the last binding.
 */
import { performance } from 'node:perf_hooks';
import { InMemorySchedulerClient, Scheduler } from '../controllers/scheduler/index.js';
import type { Pod } from '../framework/index.js';
import type { Workload } from './scheduler-workloads.js';

export interface LoopResult {
  workload: string;
  nodes: number;
  pods: number;
  seconds: number;
  podsPerSecond: number;
  /** Pods per second of CPU time of this process (user + system) while measuring. */
  podsPerCpuSecond: number;
  unscheduled: number;
}

/** Schedules `pods` and resolves when `expected` of them are bound (or the queue drains). */
async function scheduleAll(s: Scheduler, bound: { n: number }, pods: Pod[], expected: number) {
  const target = bound.n + expected;
  for (const p of pods) s.handlers.onPodAdd(p);
  const start = performance.now();
  while (bound.n < target && s.queue.pendingCounts().active > 0) {
    await new Promise<void>((r) => setImmediate(r));
  }
  await s.bindingsSettled();
  return (performance.now() - start) / 1000;
}

export async function runLoop(w: Workload): Promise<LoopResult> {
  const bound = { n: 0 };
  const holder: { s?: Scheduler } = {};
  const client = new InMemorySchedulerClient({
    onBind: (pod, node) => {
      bound.n++;
      const before = pod.pod as Pod;
      holder.s!.handlers.onPodUpdate(
        { ...before, spec: { ...before.spec!, nodeName: undefined } },
        {
          ...before,
          metadata: { ...before.metadata, resourceVersion: `b${bound.n}` },
          spec: { ...before.spec!, nodeName: node },
        },
      );
    },
  });
  client.recordEvents = false;
  const s = new Scheduler({ client });
  holder.s = s;
  const ctl = new AbortController();
  const running = s.run(ctl.signal);
  for (let i = 0; i < w.nodes; i++) s.handlers.onNodeAdd(w.node(i));
  const init = Array.from({ length: w.initPods }, (_, i) => w.initPod(i));
  await scheduleAll(s, bound, init, init.length);
  const measured = Array.from({ length: w.measuredPods }, (_, i) => w.measuredPod(i));
  const before = bound.n;
  const cpu = process.cpuUsage();
  const seconds = await scheduleAll(s, bound, measured, measured.length);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const done = bound.n - before;
  ctl.abort();
  await running;
  return {
    workload: w.name,
    nodes: w.nodes,
    pods: done,
    seconds,
    podsPerSecond: done / seconds,
    podsPerCpuSecond: done / cpuSeconds,
    unscheduled: measured.length - done,
  };
}
