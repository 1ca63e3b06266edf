/**
 * Linearizability of the store under concurrent clients doing reads, writes and compare-and-set
 * on a few keys, checked with a register-model checker — first the checker itself on known
 * histories, then real histories from `kuberx etcd` (gRPC) and from the embedded engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEngine } from '../../store/embedded/open.js';
import { startEtcd } from '../../store/index.js';
import { keyFromText } from '../../store/mvcc/keys.js';
import { RawEtcd } from './grpc-client.js';
import type { Input, Operation, Output } from './linearizability.js';
import { checkHistory, checkRegister } from './linearizability.js';

const op = (input: Input, output: Output, call: number, ret: number): Operation => ({
  key: 'k',
  input,
  output,
  call,
  return: ret,
});
const read = (value: string, c: number, r: number) => op({ op: 'read' }, { value }, c, r);
const write = (value: string, c: number, r: number) => op({ op: 'write', value }, {}, c, r);
const cas = (expected: string, value: string, ok: boolean | null, c: number, r: number) =>
  op({ op: 'cas', expected, value }, ok === null ? null : { ok }, c, r);

const knownHistories: [string, Operation[], boolean][] = [
  ['a write then a read of it', [write('1', 0, 1), read('1', 2, 3)], true],
  ['a read of a value never written', [write('1', 0, 1), read('2', 2, 3)], false],
  ['a stale read after a completed write', [write('1', 0, 1), read('', 2, 3)], false],
  [
    'a read concurrent with a write may see the old value',
    [write('1', 0, 5), read('', 1, 2)],
    true,
  ],
  [
    'a read concurrent with a write may see the new value',
    [write('1', 0, 5), read('1', 1, 2)],
    true,
  ],
  ['reads may not go back in time', [write('1', 0, 10), read('1', 1, 2), read('', 3, 4)], false],
  [
    'two CAS from the same value cannot both succeed',
    [cas('', 'a', true, 0, 5), cas('', 'b', true, 1, 6)],
    false,
  ],
  [
    'of two concurrent CAS one succeeds and one fails',
    [cas('', 'a', true, 0, 5), cas('', 'b', false, 1, 6), read('a', 7, 8)],
    true,
  ],
  ['a failed CAS must have seen another value', [cas('', 'a', false, 0, 1)], false],
  [
    'a CAS with unknown outcome may have taken effect',
    [cas('', 'a', null, 0, 1), read('a', 2, 3)],
    true,
  ],
  [
    'a CAS with unknown outcome may have taken effect later',
    [cas('', 'a', null, 0, 1), read('', 2, 3), read('a', 4, 5)],
    true,
  ],
  [
    'a write with unknown outcome cannot be undone after being seen',
    [op({ op: 'write', value: 'x' }, null, 0, 1), read('x', 2, 3), read('', 4, 5)],
    false,
  ],
];

describe('the register linearizability checker', () => {
  test.each(knownHistories.map(([name, ops, ok]) => [name, ok, ops] as const))(
    '%s → linearizable: %s',
    (_name, expected, ops) => {
      expect(checkRegister(ops)).toBe(expected);
    },
  );
});

interface Register {
  read(key: string): Promise<string>;
  write(key: string, value: string): Promise<void>;
  cas(key: string, expected: string, value: string): Promise<boolean>;
}

const keys = ['x', 'y', 'z'];
const clients = 8;
const opsPerClient = 60;

/** Random reads, writes and CAS from several concurrent clients; every op is timed. */
async function recordHistory(reg: Register): Promise<Operation[]> {
  for (const k of keys) await reg.write(k, '0');
  const history: Operation[] = keys.map((k) => ({
    key: k,
    input: { op: 'write', value: '0' },
    output: {},
    call: -2,
    return: -1,
  }));
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const lastSeen = new Map<string, string>(keys.map((k) => [k, '0']));
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < opsPerClient; i++) {
        const key = keys[rand(keys.length)]!;
        const value = `${c}.${i}`;
        const kind = rand(3);
        const call = performance.now();
        let input: Input;
        let output: Output;
        try {
          if (kind === 0) {
            input = { op: 'read' };
            const v = await reg.read(key);
            lastSeen.set(key, v);
            output = { value: v };
          } else if (kind === 1) {
            input = { op: 'write', value };
            await reg.write(key, value);
            output = {};
          } else {
            input = { op: 'cas', expected: lastSeen.get(key)!, value };
            output = { ok: await reg.cas(key, input.expected, value) };
          }
        } catch {
          input ??= { op: 'read' };
          output = null;
        }
        history.push({ key, input, output, call, return: performance.now() });
      }
    }),
  );
  return history;
}

const b = (s: string): Buffer => Buffer.from(s);

describe('linearizability of real histories', () => {
  test('kuberx etcd over gRPC: concurrent reads, writes and CAS are linearizable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberx-lin-'));
    const etcd = await startEtcd({ dataDir: dir, listenClientUrls: ['http://127.0.0.1:0'] });
    const c = new RawEtcd(etcd.urls[0]!);
    const fail = (r: { error?: unknown }): never => {
      throw new Error(JSON.stringify(r.error));
    };
    try {
      const history = await recordHistory({
        read: async (key) => {
          const r = await c.call('KV', 'Range', { key: b(key) });
          return 'ok' in r ? String(r.ok.kvs[0]?.value ?? '') : fail(r);
        },
        write: async (key, value) => {
          const r = await c.call('KV', 'Put', { key: b(key), value: b(value) });
          if (!('ok' in r)) fail(r);
        },
        cas: async (key, expected, value) => {
          const r = await c.call('KV', 'Txn', {
            compare: [{ key: b(key), target: 3, result: 0, value: b(expected) }],
            success: [{ request_put: { key: b(key), value: b(value) } }],
          });
          return 'ok' in r ? !!r.ok.succeeded : fail(r);
        },
      });
      expect(history.length).toBe(keys.length + clients * opsPerClient);
      expect(history.filter((o) => o.input.op === 'cas' && o.output?.ok).length).toBeGreaterThan(0);
      expect(checkHistory(history)).toEqual([]);
    } finally {
      c.close();
      await etcd.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the embedded engine on SQLite: concurrent reads, writes and CAS are linearizable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberx-lin-'));
    const engine = await openEngine({ dataDir: dir });
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    try {
      const history = await recordHistory({
        read: async (key) => {
          const kv = engine.range({ key: keyFromText(key) }).kvs[0];
          return kv ? dec.decode(kv.value) : '';
        },
        write: async (key, value) => {
          await engine.put({ key: keyFromText(key), value: enc.encode(value) });
        },
        cas: async (key, expected, value) => {
          const r = await engine.txn({
            compare: [{ key: keyFromText(key), target: 3, result: 0, value: enc.encode(expected) }],
            success: [{ put: { key: keyFromText(key), value: enc.encode(value) } }],
            failure: [],
          });
          return r.succeeded;
        },
      });
      expect(checkHistory(history)).toEqual([]);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
