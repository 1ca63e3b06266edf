/**
 * Differential runs: the same etcdctl session against a real etcd 3.4 and against `kuberx etcd`,
 * with outputs normalised for what legitimately differs (cluster/member IDs, raft terms and
 * indexes, lease IDs, versions, sizes, timings, ports).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Proc } from './processes.js';
import { etcdctl, etcdctlBin } from './processes.js';

export type Step =
  /** One etcdctl invocation; `${NAME}` in args is replaced by a value captured earlier. */
  | { args: string[]; stdin?: string; capture?: { name: string; pattern: RegExp } }
  /** A watch: runs until it printed `lines` lines (or 20 s passed), then is stopped. */
  | { watch: string[]; lines: number }
  /** Real time passing (for lease expiry on both servers). */
  | { waitMs: number };

export interface Side {
  proc: Proc;
  vars: Map<string, string>;
}

const jsonLog = /^\{"level":/;

/**
 * etcdctl endpoints as `host:port`: with a scheme, `endpoint status` sends the whole URL as the
 * HTTP/2 :authority, which Node's HTTP/2 layer (nghttp2) rejects as malformed (Go's accepts it).
 */
const hostPort = (url: string): string => url.replace(/^https?:\/\//, '');

async function runWatch(url: string, args: string[], lines: number): Promise<string> {
  const child = spawn(etcdctlBin, ['--endpoints', hostPort(url), 'watch', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 20_000;
  while (!done && out.split('\n').filter((l) => l && !jsonLog.test(l)).length < lines) {
    if (Date.now() > deadline) break;
    await sleep(10);
  }
  if (!done) child.kill('SIGTERM');
  if (process.env.DIFF_DEBUG) process.stderr.write(`watch ${args.join(' ')} → ${out}\n`);
  await exited;
  return out;
}

/** Runs one step on one side; returns its normalised transcript. */
export async function runStep(side: Side, step: Step): Promise<string> {
  const url = side.proc.url;
  if ('waitMs' in step) {
    await sleep(step.waitMs);
    return '';
  }
  let raw: string;
  if ('watch' in step) {
    raw = await runWatch(url, step.watch, step.lines);
  } else {
    const args = step.args.map((a) =>
      a.replace(/\$\{(\w+)\}/g, (_, n) => side.vars.get(n) ?? `?${n}`),
    );
    const r = await etcdctl(hostPort(url), args, step.stdin);
    if (step.capture) {
      const m = step.capture.pattern.exec(r.stdout);
      if (m) side.vars.set(step.capture.name, m[1]!);
    }
    raw = `${r.stdout}${r.stderr}exit ${r.code}\n`;
  }
  return normalise(side, raw);
}

export function normalise(side: Side, raw: string): string {
  let out = raw
    .split('\n')
    .filter((l) => !jsonLog.test(l))
    .join('\n');
  const host = side.proc.url.replace(/^https?:\/\//, '');
  out = out.split(side.proc.url).join('ENDPOINT').split(host).join('ENDPOINT');
  for (const [name, hex] of side.vars) {
    const dec = BigInt(`0x${hex}`).toString();
    out = out.split(hex).join(name).split(dec).join(name);
  }
  return (
    out
      .replace(/"(ClusterID|MemberID|RaftTerm)" : \d+/g, '"$1" : N')
      .replace(/"ID":\d+,"name"/g, '"ID":N,"name"')
      .replace(
        /"(cluster_id|member_id|raft_term|leader|raftIndex|raftTerm|raftAppliedIndex|dbSize|dbSizeInUse)":\d+/g,
        '"$1":N',
      )
      .replace(/"version":"3\.\d+\.\d+"/g, '"version":"V"')
      .replace(
        /, 3\.\d+\.\d+, [\d.]+ [kMG]?B, (true|false), (true|false), \d+, \d+, \d+, /g,
        ', V, SIZE, $1, $2, N, N, N, ',
      )
      // etcd lists a lease's keys from a Go map, in random order.
      .replace(
        /attached keys\(\[([^\]]*)\]\)/g,
        (_, keys: string) => `attached keys([${keys.split(' ').sort().join(' ')}])`,
      )
      .replace(/took = [\d.]+[µm]?s/g, 'took = T')
      .replace(/remaining\(\d+s\)/g, 'remaining(Ns)')
      .replace(/"TTL":\d+,"grantedTTL"/g, '"TTL":N,"grantedTTL"')
      .replace(/http:\/\/(localhost|127\.0\.0\.1):\d+/g, 'URL')
      .replace(/\b[0-9a-f]{16}\b/g, 'ID')
  );
}

/** Runs a session step by step on both sides; returns [real, kuberx] transcripts per step. */
export async function runSession(real: Side, kuberx: Side, steps: Step[]) {
  const transcript: { step: string; real: string; kuberx: string }[] = [];
  for (const step of steps) {
    const label =
      'args' in step
        ? step.args.join(' ')
        : 'watch' in step
          ? `watch ${step.watch.join(' ')}`
          : 'wait';
    const [a, b] = await Promise.all([runStep(real, step), runStep(kuberx, step)]);
    transcript.push({ step: label, real: a, kuberx: b });
    if (process.env.DIFF_DEBUG) process.stderr.write(`$ ${label}\n${b}`);
  }
  return transcript;
}
