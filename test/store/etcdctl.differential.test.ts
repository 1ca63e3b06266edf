/**
 * Differential etcdctl sessions: each session runs against a fresh real etcd 3.4 and a fresh
 * `kuberx etcd` (the built binary, durable in a temp dir); every step's output (stdout, stderr,
 * exit code) must be identical once IDs, terms, versions, sizes and timings are normalised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Side, Step } from './differential.js';
import { runSession } from './differential.js';
import {
  describeWithTools,
  etcdBin,
  etcdctlBin,
  kuberxBin,
  startKuberxEtcd,
  startRealEtcd,
} from './processes.js';

const big = (n: number): string => 'x'.repeat(n);

const sessions: Record<string, Step[]> = {
  'put, get and every range option': [
    { args: ['put', 'foo', 'bar'] },
    { args: ['put', 'foo2', 'bar2'] },
    { args: ['put', 'foo3', 'a3'] },
    { args: ['put', 'zoo', 'z'] },
    { args: ['put', 'a b', 'value with spaces'] },
    { args: ['put', 'foo2', 'bar2-again'] },
    { args: ['get', 'foo'] },
    { args: ['get', 'foo', '-w', 'json'] },
    { args: ['get', 'foo', '--prefix'] },
    { args: ['get', 'foo', '--prefix', '--limit', '2', '-w', 'json'] },
    { args: ['get', 'foo', '--from-key'] },
    { args: ['get', 'foo', 'foo3'] },
    { args: ['get', '', '--prefix', '--keys-only'] },
    { args: ['get', '', '--prefix', '--count-only', '-w', 'json'] },
    { args: ['get', 'foo', '--prefix', '--print-value-only'] },
    { args: ['get', 'foo', '--prefix', '--sort-by=VALUE', '--order=DESCEND'] },
    { args: ['get', 'foo', '--prefix', '--sort-by=MODIFY', '--order=ASCEND', '-w', 'json'] },
    { args: ['get', 'foo', '--prefix', '--sort-by=VERSION', '--order=DESCEND'] },
    { args: ['get', 'foo', '--prefix', '--sort-by=CREATE', '--order=DESCEND', '--limit', '2'] },
    { args: ['get', 'foo', '--prefix', '--sort-by=KEY', '--order=DESCEND'] },
    { args: ['get', 'foo', '--prefix', '--order=ASCEND', '-w', 'fields'] },
    { args: ['get', 'foo2', '--rev=3'] },
    { args: ['get', 'foo2', '--rev=1'] },
    { args: ['get', 'foo', '--rev=1000'] },
    { args: ['get', 'missing', '-w', 'json'] },
    { args: ['get', 'foo', '--consistency=s'] },
    { args: ['get', 'foo', '--hex'] },
  ],
  'put options and deletes': [
    { args: ['put', 'k', 'v1'] },
    { args: ['put', 'k', 'v2', '--prev-kv'] },
    { args: ['put', 'k', '--ignore-value', '-w', 'json'] },
    { args: ['get', 'k', '-w', 'json'] },
    { args: ['put', 'nokey', '--ignore-value'] },
    { args: ['put', 'nokey', '--ignore-lease', 'v'] },
    { args: ['put', 'k', 'v3', '--prev-kv', '-w', 'json'] },
    { args: ['put', 'p/1', '1'] },
    { args: ['put', 'p/2', '2'] },
    { args: ['put', 'p/3', '3'] },
    { args: ['put', 'q', 'q'] },
    { args: ['del', 'p/2'] },
    { args: ['del', 'p/', '--prefix', '--prev-kv'] },
    { args: ['del', 'nokey'] },
    { args: ['del', 'k', '--prev-kv', '-w', 'json'] },
    { args: ['put', 'k', 'reborn'] },
    { args: ['get', 'k', '-w', 'json'] },
    { args: ['del', 'a', '--from-key'] },
    { args: ['get', '', '--prefix', '-w', 'json'] },
  ],
  transactions: [
    { args: ['put', 'k1', 'v1'] },
    { args: ['put', 'k2', 'v2'] },
    {
      args: ['txn'],
      stdin:
        'value("k1") = "v1"\nmod("k2") > "0"\nver("k1") = "1"\ncreate("k1") < "100"\n\nput k1 w1\nget k2\ndel k2\n\nput k1 failed\n\n',
    },
    { args: ['get', '', '--prefix'] },
    {
      args: ['txn', '-w', 'json'],
      stdin: 'value("k1") = "nope"\n\nput k1 x\n\nget k1\nget k2\n\n',
    },
    { args: ['txn'], stdin: 'value("missing") = ""\n\nput a 1\n\nput b 2\n\n' },
    { args: ['txn'], stdin: 'create("missing") = "0"\n\nput a 1\n\nput b 2\n\n' },
    { args: ['txn'], stdin: 'value("k1") != "w1"\n\nput c 1\n\nput c 2\n\n' },
    { args: ['txn'], stdin: 'ver("k1") > "0"\nver("k1") < "0"\n\nput d 1\n\nput d 2\n\n' },
    { args: ['txn', '-w', 'json'], stdin: '\nput e 1\nput f 2\nget e\n\n\n' },
    { args: ['txn'], stdin: '\nput dup 1\nput dup 2\n\n\n' },
    { args: ['txn'], stdin: '\nput x 1\ndel x\n\n\n' },
    {
      args: ['txn'],
      stdin: `\n${Array.from({ length: 129 }, (_, i) => `put t${i} v`).join('\n')}\n\n\n`,
    },
    {
      args: ['txn'],
      stdin: `\n${Array.from({ length: 128 }, (_, i) => `put t${i} v`).join('\n')}\n\n\n`,
    },
    { args: ['get', 't', '--prefix', '--count-only', '-w', 'json'] },
    { args: ['txn', '-w', 'json'], stdin: '\nget k1\nget t --prefix --limit=2\n\n\n' },
  ],
  leases: [
    {
      args: ['lease', 'grant', '100'],
      capture: { name: 'L1', pattern: /lease ([0-9a-f]+) granted/ },
    },
    { args: ['put', '--lease=${L1}', 'lk', 'lv'] },
    { args: ['put', '--lease=${L1}', 'lk2', 'lv2'] },
    { args: ['get', 'lk', '-w', 'json'] },
    { args: ['lease', 'timetolive', '${L1}'] },
    { args: ['lease', 'timetolive', '${L1}', '--keys'] },
    { args: ['lease', 'list'] },
    { args: ['lease', 'keep-alive', '--once', '${L1}'] },
    { args: ['put', 'lk', 'kept', '--ignore-lease'] },
    { args: ['get', 'lk', '-w', 'json'] },
    { args: ['lease', 'revoke', '${L1}'] },
    { args: ['get', 'lk', '--prefix'] },
    { args: ['lease', 'timetolive', '${L1}'] },
    { args: ['lease', 'revoke', '${L1}'] },
    { args: ['lease', 'keep-alive', '--once', '${L1}'] },
    { args: ['put', '--lease=1234abcd', 'x', 'y'] },
    {
      args: ['lease', 'grant', '1'],
      capture: { name: 'L2', pattern: /lease ([0-9a-f]+) granted/ },
    },
    { args: ['put', '--lease=${L2}', 'short', 'lived'] },
    { args: ['lease', 'list'] },
    { waitMs: 5000 },
    { args: ['get', 'short'] },
    { args: ['lease', 'timetolive', '${L2}'] },
    { args: ['get', '', '--prefix', '-w', 'json'] },
  ],
  watch: [
    { args: ['put', 'w/a', '1'] },
    { args: ['put', 'w/b', '2'] },
    { args: ['put', 'w/a', '3'] },
    { args: ['del', 'w/b'] },
    { args: ['put', 'other', 'x'] },
    { args: ['txn'], stdin: '\nput w/c 4\nput w/d 5\n\n\n' },
    { watch: ['--rev=1', '--prefix', 'w/'], lines: 17 },
    { watch: ['--rev=2', 'w/a', '--prev-kv'], lines: 8 },
    { watch: ['--rev=4', 'w/a', 'w/c'], lines: 5 },
    { watch: ['--rev=1', '-w', 'json', 'other'], lines: 1 },
    { args: ['compaction', '4'] },
    { watch: ['--rev=2', '--prefix', 'w/'], lines: 2 },
    { watch: ['--rev=4', '--prefix', 'w/'], lines: 11 },
  ],
  'compaction and errors': [
    { args: ['put', 'c', '1'] },
    { args: ['put', 'c', '2'] },
    { args: ['put', 'c', '3'] },
    { args: ['del', 'c'] },
    { args: ['put', 'd', '1'] },
    { args: ['compaction', '3'] },
    { args: ['get', 'c', '--rev=2'] },
    { args: ['get', 'c', '--rev=3', '-w', 'json'] },
    { args: ['compaction', '2'] },
    { args: ['compaction', '1000'] },
    { args: ['compaction', '5', '--physical'] },
    { args: ['get', 'c', '--rev=5'] },
    { args: ['get', '', '--prefix', '-w', 'json'] },
    { args: ['put', 'big'], stdin: big(1_400_000) },
    { args: ['get', 'big', '--count-only'] },
    { args: ['put', 'toobig'], stdin: big(1_600_000) },
    { args: ['put', 'waytoobig'], stdin: big(2_200_000) },
    { args: ['get', 'toobig', '--count-only'] },
  ],
  'maintenance and cluster': [
    { args: ['put', 'm', '1'] },
    { args: ['endpoint', 'health'] },
    { args: ['endpoint', 'status'] },
    { args: ['endpoint', 'status', '-w', 'json'] },
    { args: ['member', 'list'] },
    { args: ['member', 'list', '-w', 'json'] },
    { args: ['alarm', 'list'] },
  ],
};

describeWithTools(
  [etcdBin, etcdctlBin, kuberxBin],
  'etcdctl against real etcd 3.4 and kuberx etcd',
  () => {
    for (const [name, steps] of Object.entries(sessions)) {
      test(`session "${name}" prints the same on both`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'kuberx-diff-'));
        const [real, kuberx] = await Promise.all([
          startRealEtcd(),
          startKuberxEtcd({ dataDir: dir }),
        ]);
        try {
          const a: Side = { proc: real, vars: new Map() };
          const b: Side = { proc: kuberx, vars: new Map() };
          const t = await runSession(a, b, steps);
          expect(t.map((s) => `$ ${s.step}\n${s.kuberx}`)).toEqual(
            t.map((s) => `$ ${s.step}\n${s.real}`),
          );
        } finally {
          await Promise.all([real.stop(), kuberx.stop()]);
          rmSync(dir, { recursive: true, force: true });
        }
      }, 60_000);
    }
  },
);
