/**
 * Crash safety of `kuberx etcd` (the built binary, durable in a temp dir): writers do acknowledged
 * puts and CAS txns while the server is killed with SIGKILL, five times. After every restart:
 * every acknowledged write is there at its revision, the revision history is dense and
 * increasing, and a watcher that resumes from the last revision it saw gets every later revision
 * exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from './grpc-client.js';
import { RawEtcd, type RawStream } from './grpc-client.js';
import type { Proc } from './processes.js';
import {
  describeWithTools,
  etcdctlBin,
  freePort,
  kuberxBin,
  startKuberxEtcd,
} from './processes.js';

interface Ack {
  key: string;
  value: string;
  revision: number;
}

const b = (s: string): Buffer => Buffer.from(s);
const rounds = 5;
const acksPerRound = 150;
const writers = 16;

/** Keeps a watch from `from` on every key; resumes where it stopped after each restart. */
class ResumingWatcher {
  revisions: number[] = [];
  events: { key: string; value: string; revision: number; type: number }[] = [];
  private stream: RawStream | undefined;

  get last(): number {
    return this.revisions[this.revisions.length - 1] ?? 1;
  }

  start(client: RawEtcd): void {
    const s = client.stream('Watch', 'Watch');
    const seen = s.responses;
    const origPush = seen.push.bind(seen);
    seen.push = (...items) => {
      for (const r of items) {
        // A revision is never split across responses: a revision seen in two responses is a repeat.
        const inResponse = new Set<number>();
        for (const e of r.events ?? []) {
          const rev = Number(e.kv.mod_revision);
          if (!inResponse.has(rev)) this.revisions.push(rev);
          inResponse.add(rev);
          this.events.push({
            key: String(e.kv.key),
            value: String(e.kv.value),
            revision: rev,
            type: e.type,
          });
        }
      }
      return origPush(...items);
    };
    s.write({
      create_request: { key: b('\0'), range_end: b('\0'), start_revision: this.last + 1 },
    });
    this.stream = s;
  }

  stop(): void {
    this.stream?.end();
  }
}

describeWithTools([etcdctlBin, kuberxBin], 'kuberx etcd killed with SIGKILL', () => {
  test('loses no acknowledged write and keeps revisions dense across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberx-crash-'));
    const port = await freePort();
    const acks: Ack[] = [];
    const counterAcks: { value: number; revision: number }[] = [];
    const watcher = new ResumingWatcher();
    let proc: Proc | undefined;
    try {
      for (let round = 0; round <= rounds; round++) {
        proc = await startKuberxEtcd({
          dataDir: dir,
          args: ['--listen-client-urls', `http://127.0.0.1:${port}`],
        });
        const client = new RawEtcd(proc.url);
        // Everything acknowledged so far survived the previous kill.
        for (const ack of acks) {
          const r = await client.call('KV', 'Range', { key: b(ack.key), revision: ack.revision });
          expect('ok' in r && String(r.ok.kvs[0]?.value)).toBe(ack.value);
        }
        const head = await client.call('KV', 'Range', { key: b('counter') });
        const counterNow =
          'ok' in head && head.ok.kvs[0] ? Number(String(head.ok.kvs[0].value)) : 0;
        expect(counterNow).toBeGreaterThanOrEqual(counterAcks[counterAcks.length - 1]?.value ?? 0);
        watcher.start(client);
        if (round === rounds) {
          // Let the watcher catch up with the final revision, then check the whole history.
          const current = 'ok' in head ? Number(head.ok.header.revision) : 0;
          const deadline = Date.now() + 30_000;
          while (watcher.last < current && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 10));
          watcher.stop();
          client.close();
          expect(watcher.last).toBe(current);
          break;
        }
        const target = acks.length + acksPerRound;
        let stop = false;
        const loops = Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; !stop; i++) {
            const key = `crash/${round}/${w}/${i}`;
            const value = `v${round}.${w}.${i}`;
            let r: Outcome;
            if (i % 4 === 3) {
              // A CAS on a shared counter (kube-style GuaranteedUpdate).
              const cur = await client.call('KV', 'Range', { key: b('counter') });
              if (!('ok' in cur)) return;
              const kv = cur.ok.kvs[0];
              const next = kv ? Number(String(kv.value)) + 1 : 1;
              r = await client.call('KV', 'Txn', {
                compare: [
                  {
                    key: b('counter'),
                    target: 2,
                    result: 0,
                    mod_revision: kv ? kv.mod_revision : 0,
                  },
                ],
                success: [
                  { request_put: { key: b('counter'), value: b(String(next)) } },
                  { request_put: { key: b(key), value: b(value) } },
                ],
              });
              if (!('ok' in r)) return;
              if (r.ok.succeeded) {
                const revision = Number(r.ok.header.revision);
                counterAcks.push({ value: next, revision });
                acks.push({ key, value, revision });
              }
            } else {
              r = await client.call('KV', 'Put', { key: b(key), value: b(value) });
              if (!('ok' in r)) return;
              acks.push({ key, value, revision: Number(r.ok.header.revision) });
            }
            if (acks.length >= target) stop = true;
          }
        });
        // Kill while the writers are still writing (in-flight writes are lost or kept, never half).
        while (acks.length < target) await new Promise((r) => setTimeout(r, 1));
        await proc.stop('SIGKILL');
        stop = true;
        await Promise.all(loops);
        watcher.stop();
        client.close();
      }
      // Revisions are dense (2, 3, …) and each was seen exactly once by the resuming watcher.
      const revs = watcher.revisions;
      expect(revs).toEqual(Array.from({ length: revs.length }, (_, i) => i + 2));
      // Every acknowledged write is in the history at its revision.
      const byRev = new Map<string, string>();
      for (const e of watcher.events) byRev.set(`${e.key}@${e.revision}`, e.value);
      for (const ack of acks) expect(byRev.get(`${ack.key}@${ack.revision}`)).toBe(ack.value);
      // The counter only moved through acknowledged values, in revision order.
      const counterEvents = watcher.events
        .filter((e) => e.key === 'counter')
        .map((e) => Number(e.value));
      expect(counterEvents).toEqual(Array.from({ length: counterEvents.length }, (_, i) => i + 1));
      expect(acks.length).toBeGreaterThanOrEqual(rounds * acksPerRound);
    } finally {
      await proc?.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
