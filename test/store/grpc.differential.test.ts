/**
 * Differential gRPC scenarios for what etcdctl cannot express: range filters (min/max mod and
 * create revision), sort edge cases, nested txns and their compares, LEASE compares, compares over
 * ranges, every request-validation error, leases with chosen IDs, keep-alive and time-to-live of
 * unknown leases, and watch streams (client-chosen IDs, duplicates, empty ranges, filters,
 * prev_kv, cancel, progress requests, fragments). Each scenario runs on a fresh real etcd 3.4 and
 * a fresh kuberx etcd; the decoded responses must be equal once identities are normalised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../../store/index.js';
import type { Outcome } from './grpc-client.js';
import { RawEtcd, normaliseMsg } from './grpc-client.js';
import { describeWithTools, etcdBin, etcdctlBin, startRealEtcd } from './processes.js';

type Log = (label: string, value: unknown) => void;
type Scenario = (c: RawEtcd, log: Log) => Promise<void>;

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const put = (c: RawEtcd, k: string, v: string, extra: object = {}): Promise<Outcome> =>
  c.call('KV', 'Put', { key: b(k), value: b(v), ...extra });
const range = (c: RawEtcd, r: object): Promise<Outcome> => c.call('KV', 'Range', r);
const txn = (c: RawEtcd, t: object): Promise<Outcome> => c.call('KV', 'Txn', t);
/** Enum values of etcd's proto (sent as numbers: names in etcd3's .proto differ from etcd's). */
const Asc = 1;
const Desc = 2;
const T = { Key: 0, Version: 1, Create: 2, Mod: 3, Value: 4 };
const C = { Version: 0, Create: 1, Mod: 2, Value: 3, Lease: 4 };
const R = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3 };

const cmp = (key: string, target: number, result: number, operand: object) => ({
  key: b(key),
  target,
  result,
  ...operand,
});
const opPut = (k: string, v: string, extra: object = {}) => ({
  request_put: { key: b(k), value: b(v), ...extra },
});
const opRange = (k: string, extra: object = {}) => ({ request_range: { key: b(k), ...extra } });

const scenarios: Record<string, Scenario> = {
  'range filters, sorting and limits': async (c, log) => {
    for (const [k, v] of [
      ['k1', 'c'],
      ['k2', 'a'],
      ['k3', 'b'],
      ['k1', 'z'],
      ['k4', 'a'],
      ['k2', 'a2'],
      ['l', 'outside'],
    ]) {
      await put(c, k!, v!);
    }
    const all = { key: b('k'), range_end: b('l') };
    const cases: Record<string, object> = {
      'min mod': { ...all, min_mod_revision: 4 },
      'max mod': { ...all, max_mod_revision: 5 },
      'create window': { ...all, min_create_revision: 3, max_create_revision: 4 },
      'limit with filter': { ...all, limit: 2, min_mod_revision: 3 },
      'limit alone': { ...all, limit: 2 },
      'value ascend limit': { ...all, sort_order: Asc, sort_target: T.Value, limit: 3 },
      'version descend': { ...all, sort_order: Desc, sort_target: T.Version },
      'create, order none': { ...all, sort_target: T.Create },
      'mod descend keys only': {
        ...all,
        sort_order: Desc,
        sort_target: T.Mod,
        keys_only: true,
      },
      'count only with filter': { ...all, count_only: true, min_mod_revision: 5 },
      'past revision sorted': { ...all, revision: 4, sort_order: Asc, sort_target: T.Value },
      'from key': { key: b('k2'), range_end: b('\0') },
      everything: { key: b('\0'), range_end: b('\0'), keys_only: true },
      'end before key': { key: b('k3'), range_end: b('k1') },
      'empty key': { key: b('') },
      'bad sort order': { ...all, sort_order: 7 },
      serializable: { key: b('k1'), serializable: true },
    };
    for (const [name, r] of Object.entries(cases)) log(name, await range(c, r));
  },

  'txn compares, nesting and checks': async (c, log) => {
    await put(c, 'k1', 'v1');
    await put(c, 'k2', 'a');
    await c.call('Lease', 'LeaseGrant', { ID: 777, TTL: 100 });
    await put(c, 'lk', 'leased', { lease: 777 });
    log(
      'nested txn compares see the state before the outer txn',
      await txn(c, {
        compare: [cmp('k1', C.Mod, R.Greater, { mod_revision: 0 })],
        success: [
          opPut('x', '1'),
          {
            request_txn: {
              compare: [cmp('x', C.Value, R.Equal, { value: b('1') })],
              success: [opPut('y', 'then')],
              failure: [opPut('y', 'else'), opRange('x')],
            },
          },
          opRange('y'),
        ],
      }),
    );
    log(
      'compare over a range: every key must match',
      await txn(c, {
        compare: [
          cmp('k1', C.Version, R.Greater, { version: 0 }),
          { ...cmp('k', C.Version, R.Greater, { version: 0 }), range_end: b('l') },
        ],
        success: [opRange('k1')],
      }),
    );
    log(
      'value compare over a range fails on mismatch',
      await txn(c, {
        compare: [{ ...cmp('k', C.Value, R.Equal, { value: b('a') }), range_end: b('l') }],
        success: [opRange('k2')],
        failure: [opRange('k1')],
      }),
    );
    log(
      'lease compare',
      await txn(c, {
        compare: [
          cmp('lk', C.Lease, R.Equal, { lease: 777 }),
          cmp('k1', C.Lease, R.Equal, { lease: 0 }),
        ],
        success: [opRange('lk')],
      }),
    );
    log(
      'operand of another target counts as zero',
      await txn(c, {
        compare: [cmp('k1', C.Mod, R.Equal, { version: 5 })],
        success: [opRange('k1')],
        failure: [],
      }),
    );
    log(
      'compare on a missing key',
      await txn(c, {
        compare: [
          cmp('nokey', C.Create, R.Equal, { create_revision: 0 }),
          cmp('nokey', C.Version, R.Less, { version: 1 }),
        ],
        success: [opRange('nokey')],
      }),
    );
    log(
      'value compare on a missing key fails',
      await txn(c, {
        compare: [cmp('nokey', C.Value, R.Equal, { value: b('') })],
        success: [opPut('never', '1')],
      }),
    );
    log('put with an unknown lease', await txn(c, { success: [opPut('z', '1', { lease: 999 })] }));
    log(
      'ignore_value on a missing key',
      await txn(c, { success: [opPut('nokey', '', { ignore_value: true })] }),
    );
    log(
      'range at a future revision',
      await txn(c, { success: [opRange('k1', { revision: 1000 })] }),
    );
    log('empty op', await txn(c, { success: [{}] }));
    log(
      'nested duplicate put',
      await txn(c, {
        success: [opPut('d', '1'), { request_txn: { success: [opPut('d', '2')] } }],
      }),
    );
    log(
      'then and else may write the same key',
      await txn(c, {
        success: [
          { request_txn: { success: [opPut('e', 'then')], failure: [opPut('e', 'else')] } },
        ],
      }),
    );
    log(
      'delete range overlapping a put',
      await txn(c, {
        success: [{ request_delete_range: { key: b('a'), range_end: b('c') } }, opPut('b', '1')],
      }),
    );
    log(
      'delete with range end \\0 is not checked against puts',
      await txn(c, {
        success: [
          { request_delete_range: { key: b('zz'), range_end: b('\0') } },
          opPut('zzz', '1'),
        ],
      }),
    );
    log(
      '129 compares',
      await txn(c, {
        compare: Array.from({ length: 129 }, () => cmp('k1', C.Version, R.Greater, { version: 0 })),
      }),
    );
    log(
      'empty compare key',
      await txn(c, { compare: [cmp('', C.Version, R.Equal, { version: 0 })] }),
    );
    log(
      'read-only txn',
      await txn(c, {
        success: [opRange('k1'), opRange('k', { range_end: b('l'), count_only: true })],
      }),
    );
    log('state after', await range(c, { key: b('\0'), range_end: b('\0') }));
  },

  'put and delete options and errors': async (c, log) => {
    log('empty key', await put(c, '', 'v'));
    log('ignore_value with a value', await put(c, 'k', 'v', { ignore_value: true }));
    log('ignore_lease with a lease', await put(c, 'k', 'v', { ignore_lease: true, lease: 5 }));
    log('prev_kv of a new key', await put(c, 'k', 'v1', { prev_kv: true }));
    log('prev_kv of an existing key', await put(c, 'k', 'v2', { prev_kv: true }));
    log('unknown lease', await put(c, 'k', 'v', { lease: 42 }));
    log('delete empty key', await c.call('KV', 'DeleteRange', { key: b('') }));
    await put(c, 'm1', '1');
    await put(c, 'm2', '2');
    log(
      'delete from key',
      await c.call('KV', 'DeleteRange', { key: b('m'), range_end: b('\0'), prev_kv: true }),
    );
    log('delete nothing', await c.call('KV', 'DeleteRange', { key: b('m') }));
    log('compact future', await c.call('KV', 'Compact', { revision: 100 }));
    log('compact', await c.call('KV', 'Compact', { revision: 3, physical: true }));
    log('compact again', await c.call('KV', 'Compact', { revision: 3 }));
    log('read at the compacted revision', await range(c, { key: b('k'), revision: 3 }));
    log('read below it', await range(c, { key: b('k'), revision: 2 }));
    log('too large', await put(c, 'big', 'x'.repeat(1_600_000)));
    const huge = await put(c, 'big', 'x'.repeat(2_200_000));
    log('beyond the gRPC limit (code only)', 'error' in huge ? huge.error.code : huge);
  },

  leases: async (c, log) => {
    log('grant with an ID', await c.call('Lease', 'LeaseGrant', { ID: 12345, TTL: 100 }));
    log('grant the same ID', await c.call('Lease', 'LeaseGrant', { ID: 12345, TTL: 100 }));
    log('grant below the minimum TTL', await c.call('Lease', 'LeaseGrant', { ID: 2, TTL: 1 }));
    log('grant too long', await c.call('Lease', 'LeaseGrant', { ID: 3, TTL: 9_000_000_001 }));
    await put(c, 'a', '1', { lease: 12345 });
    await put(c, 'b', '1', { lease: 12345 });
    const ttl = await c.call('Lease', 'LeaseTimeToLive', { ID: 12345, keys: true });
    if ('ok' in ttl) {
      ttl.ok.TTL = 'N';
      ttl.ok.keys = (ttl.ok.keys as Buffer[]).map(String).sort();
    }
    log('time to live', ttl);
    log('time to live of an unknown lease', await c.call('Lease', 'LeaseTimeToLive', { ID: 99 }));
    const leases = await c.call('Lease', 'LeaseLeases', {});
    if ('ok' in leases)
      leases.ok.leases = (leases.ok.leases as { ID: string }[]).map((l) => l.ID).sort();
    log('list', leases);
    const ka = c.stream('Lease', 'LeaseKeepAlive');
    ka.write({ ID: 12345 });
    ka.write({ ID: 99 });
    log('keep-alive of a known and an unknown lease', await ka.waitFor(2));
    ka.end();
    log('revoke', await c.call('Lease', 'LeaseRevoke', { ID: 12345 }));
    log('keys after revoke', await range(c, { key: b('\0'), range_end: b('\0') }));
    log('revoke unknown', await c.call('Lease', 'LeaseRevoke', { ID: 12345 }));
  },

  'watch streams': async (c, log) => {
    await put(c, 'w', '0');
    const s = c.stream('Watch', 'Watch');
    s.write({ create_request: { key: b('w') } });
    s.write({
      create_request: {
        key: b('w'),
        range_end: b('x'),
        watch_id: 7,
        prev_kv: true,
        filters: [0],
      },
    });
    s.write({ create_request: { key: b('w'), watch_id: 7 } });
    s.write({ create_request: { key: b('b'), range_end: b('a') } });
    s.write({ create_request: { key: b('w'), prev_kv: true, start_revision: 1 } });
    const created = await s.waitFor(6);
    await put(c, 'w', '1');
    await put(c, 'w', '2');
    await c.call('KV', 'DeleteRange', { key: b('w') });
    await put(c, 'w2', 'x');
    await put(c, 'w', 'again');
    s.write({ cancel_request: { watch_id: 0 } });
    s.write({ cancel_request: { watch_id: 12345 } });
    const all = await s.waitFor(created.length + 10);
    s.write({ progress_request: {} });
    const withProgress = await s.waitFor(all.length + 1);
    s.end();
    // Responses of different watches may interleave differently: compare per watch ID.
    const byId = new Map<string, unknown[]>();
    for (const r of withProgress) {
      const id = String(r.watch_id);
      byId.set(id, [...(byId.get(id) ?? []), r]);
    }
    for (const id of [...byId.keys()].sort()) log(`watch ${id}`, byId.get(id));
  },

  'watch fragments': async (c, log) => {
    for (const k of ['f1', 'f2', 'f3']) await put(c, k, k.repeat(450_000));
    const s = c.stream('Watch', 'Watch');
    s.write({
      create_request: { key: b('f'), range_end: b('g'), start_revision: 2, fragment: true },
    });
    s.write({ create_request: { key: b('f'), range_end: b('g'), start_revision: 2, watch_id: 5 } });
    const got = await s.waitFor(5);
    s.end();
    log(
      'responses',
      got
        .map((r) => ({
          id: r.watch_id,
          created: r.created,
          fragment: r.fragment,
          keys: (r.events as { kv: { key: Buffer } }[]).map((e) => String(e.kv.key)),
        }))
        .sort((x, y) => String(x.id).localeCompare(String(y.id))),
    );
  },
};

describeWithTools(
  [etcdBin, etcdctlBin],
  'raw etcd v3 gRPC against real etcd 3.4 and kuberx etcd',
  () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      test(`scenario "${name}" gets the same answers`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'kuberx-grpcdiff-'));
        const [real, kuberx] = await Promise.all([
          startRealEtcd(),
          startEtcd({ dataDir: dir, listenClientUrls: ['http://127.0.0.1:0'] }),
        ]);
        const run = async (url: string) => {
          const client = new RawEtcd(url);
          const out: [string, unknown][] = [];
          try {
            await scenario(client, (label, value) => out.push([label, normaliseMsg(value)]));
          } finally {
            client.close();
          }
          return out;
        };
        try {
          const [expected, actual] = await Promise.all([run(real.url), run(kuberx.urls[0]!)]);
          if (process.env.DIFF_DEBUG) process.stderr.write(`${JSON.stringify(actual, null, 1)}\n`);
          expect(actual).toEqual(expected);
        } finally {
          await Promise.all([real.stop(), kuberx.close()]);
          rmSync(dir, { recursive: true, force: true });
        }
      }, 60_000);
    }
  },
);
