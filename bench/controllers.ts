/**
 * `npm run bench:controllers` — the reference controllers under load; see bench/README.md.
 *
 * The API server runs in its own process (`apiserver-server.js`, store in memory) so it does not
 * share a CPU with the controllers; each section drives it from this process and prints its
 * figures. Sections live in `controllers-<area>.ts` and are chosen with BENCH_SECTIONS
 * (comma-separated names; default: all).
 *
 * Each section reports kuberx's figure next to what upstream's default client limits (20 QPS,
 * burst 30, shared by the whole kube-controller-manager) allow for the same number of requests.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './controllers-common.js';
import { gcSection } from './controllers-gc.js';
import { deploymentSection, replicaSetSection } from './controllers-workloads.js';

/** Every section, in order. Add yours here. */
const sections: BenchSection[] = [replicaSetSection, deploymentSection, gcSection];

async function main(): Promise<void> {
  const wanted = process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim());
  const chosen = sections.filter((s) => !wanted || wanted.includes(s.name));
  const server = fork(fileURLToPath(new URL('./apiserver-server.js', import.meta.url)), [], {
    env: { ...process.env, BENCH_MEMORY: '1', KUBERX_LOG_LEVEL: 'warn' },
    execArgv: ['--expose-gc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(m)));
    server.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`API server ${url} (own process, store in memory)`);
  try {
    for (const section of chosen) {
      print(`\n== ${section.name}`);
      await section.run({ url, print });
    }
  } finally {
    server.send({ cmd: 'stop' });
    await new Promise((r) => server.once('exit', r));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
