/**
 * `npm run bench:scheduler`: scheduler_perf's workloads on 5000 nodes (see
 * `scheduler-workloads.ts`), measured twice —
 *
 * 1. the pure scheduling loop: the scheduler core with an in-memory client
 *    (`scheduler-loop.ts`), every workload;
 * 2. end to end through kuberx's API server in a child process (`scheduler-e2e.ts`): the
 *    scheduler as `kuberx scheduler` runs it, pods created through the API; SchedulingBasic and
 *    SchedulingNodeAffinity by default.
 *
 * Reported: pods bound per second of wall time, and per CPU-second of this process (the machine
 * is shared, so wall time depends on what else runs), next to upstream's CI floors.
 *
 * Environment: BENCH_NODES (5000), BENCH_SCALE (1: multiplies pod counts), BENCH_WORKLOADS and
 * BENCH_E2E_WORKLOADS (comma-separated names; `none` skips a part).
 */
import { runE2e } from './scheduler-e2e.js';
import { runLoop } from './scheduler-loop.js';
import { workloads } from './scheduler-workloads.js';

const nodes = Number(process.env.BENCH_NODES ?? 5000);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const loopOnly = process.env.BENCH_WORKLOADS?.split(',');
const e2eOnly = (process.env.BENCH_E2E_WORKLOADS ?? 'SchedulingBasic,SchedulingNodeAffinity').split(
  ',',
);

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const floor = (f?: string) => (f ? `   upstream floor ${f}` : '');

async function main(): Promise<void> {
  print(`pure scheduling loop (in-memory client), ${nodes} nodes`);
  for (const w of workloads(nodes, scale)) {
    if (loopOnly && !loopOnly.includes(w.name)) continue;
    const r = await runLoop(w);
    print(
      `  ${r.workload.padEnd(28)} ${r.pods} pods in ${r.seconds.toFixed(2)} s: ` +
        `${r.podsPerSecond.toFixed(0)} pods/s (${r.podsPerCpuSecond.toFixed(0)} per CPU-s)` +
        (r.unscheduled ? ` — ${r.unscheduled} not scheduled` : '') +
        floor(w.upstreamFloor),
    );
  }
  print(`end to end through the API server (child process), ${nodes} nodes`);
  for (const w of workloads(nodes, scale)) {
    if (!e2eOnly.includes(w.name)) continue;
    for (const mode of ['live', 'backlog'] as const) {
      const r = await runE2e(w, mode);
      print(
        `  ${`${r.workload} (${mode})`.padEnd(36)} ${r.pods} pods bound in ${r.seconds.toFixed(2)} s: ` +
          `${r.podsPerSecond.toFixed(0)} pods/s` +
          (mode === 'live' ? ` (created in ${r.createSeconds.toFixed(2)} s)` : '') +
          `; CPU-s scheduler process ${r.clientCpuSeconds.toFixed(1)}, API server ${r.serverCpuSeconds.toFixed(1)}` +
          floor(w.upstreamFloor),
      );
    }
  }
}

await main();
