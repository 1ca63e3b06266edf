/**
 * A deterministic fuzz test: thousands of generated request bodies (mutated objects of many
 * types, broken JSON, wrong types, odd strings) sent as dry-run creates, updates and patches. No
 * answer may be a 5xx, every refusal is a Status, the server stays up and the store unchanged.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startHardenedServer, type HardenedServer } from './admission-harness.js';

/** mulberry32: a small seeded PRNG, so every run sends the same requests. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

type Obj = Record<string, unknown>;
const ns = '/api/v1/namespaces/fuzz';
const templates: Array<{ path: string; name: string; obj: Obj }> = [
  {
    path: `${ns}/configmaps`,
    name: 'cm',
    obj: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { a: 'b' } },
      data: { k: 'v' },
    },
  },
  {
    path: `${ns}/secrets`,
    name: 's',
    obj: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      type: 'Opaque',
      stringData: { p: 'x' },
    },
  },
  {
    path: `${ns}/pods`,
    name: 'p',
    obj: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } },
            env: [{ name: 'A', value: '1' }],
          },
        ],
        tolerations: [{ key: 'k', operator: 'Exists' }],
        nodeSelector: { z: 'a' },
      },
    },
  },
  {
    path: `${ns}/services`,
    name: 'svc',
    obj: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }], type: 'ClusterIP' },
    },
  },
  {
    path: '/apis/apps/v1/namespaces/fuzz/deployments',
    name: 'd',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    },
  },
  {
    path: '/apis/batch/v1/namespaces/fuzz/jobs',
    name: 'j',
    obj: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    },
  },
  {
    path: `${ns}/persistentvolumeclaims`,
    name: 'pvc',
    obj: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pvc' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  },
  {
    path: `${ns}/limitranges`,
    name: 'lr',
    obj: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr' },
      spec: { limits: [{ type: 'Container', max: { cpu: '2' }, default: { cpu: '1' } }] },
    },
  },
  {
    path: `${ns}/resourcequotas`,
    name: 'rq',
    obj: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'rq' },
      spec: { hard: { pods: '10' } },
    },
  },
  {
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/fuzz/roles',
    name: 'r',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    },
  },
  {
    path: '/apis/coordination.k8s.io/v1/namespaces/fuzz/leases',
    name: 'l',
    obj: {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15 },
    },
  },
  {
    path: '/apis/scheduling.k8s.io/v1/priorityclasses',
    name: 'pc',
    obj: {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'pc' },
      value: 100,
    },
  },
  {
    path: '/api/v1/nodes',
    name: 'n',
    obj: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] },
    },
  },
];

const strings = [
  '',
  ' ',
  'a',
  'A-B_c',
  '..',
  '/',
  '\\',
  '%2F',
  '\u0000',
  '\u202e',
  '😀',
  'x'.repeat(300),
  '${jndi:x}',
  '<script>',
  '{"a":1}',
  '-1',
  '1e309',
  'null',
  'true',
  'kube-system',
  'system:masters',
];

function randomValue(r: ReturnType<typeof prng>, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0:
      return r.pick(strings);
    case 1:
      return r.pick([0, -1, 1, 2 ** 31, -(2 ** 53), 1.5, 1e21, 42]);
    case 2:
      return r.next() < 0.5;
    case 3:
      return null;
    case 4:
      return r.pick(strings) + r.int(1000);
    case 5:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    case 6:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [r.pick(strings) || 'k', randomValue(r, depth + 1)]),
      );
    default:
      return {
        [r.pick(['spec', 'metadata', 'status', 'data', 'items'])]: randomValue(r, depth + 1),
      };
  }
}

/** Every path (as key lists) into an object, for picking a mutation site. */
function paths(
  v: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
) {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function mutate(r: ReturnType<typeof prng>, obj: Obj): Obj {
  const copy = structuredClone(obj);
  for (let n = 1 + r.int(3); n > 0; n--) {
    const all = paths(copy).filter((p) => p.length > 0);
    const p = r.pick(all);
    let parent: any = copy;
    for (const k of p.slice(0, -1)) parent = parent[k];
    const last = p[p.length - 1]!;
    const op = r.int(4);
    if (op === 0 && !Array.isArray(parent)) delete parent[last];
    else if (op === 1 && parent && typeof parent === 'object')
      parent[r.pick(strings) || 'extra'] = randomValue(r);
    else parent[last] = randomValue(r);
  }
  return copy;
}

function rawMutation(r: ReturnType<typeof prng>, text: string): string {
  switch (r.int(4)) {
    case 0:
      return text.slice(0, r.int(text.length));
    case 1: {
      const i = r.int(text.length);
      return text.slice(0, i) + r.pick(['{', '}', '"', ',', '\\', '\u0000', ':']) + text.slice(i);
    }
    case 2:
      return text.replace(/"/g, "'");
    default:
      return `${text}${text}`;
  }
}

let s: HardenedServer;
let before: string[];

beforeAll(async () => {
  s = await startHardenedServer();
  expect(
    (await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'fuzz' } } }))
      .status,
  ).toBe(201);
  expect(
    (await s.request('POST', `${ns}/serviceaccounts`, { body: { metadata: { name: 'default' } } }))
      .status,
  ).toBe(201);
  // Targets for updates and patches.
  for (const t of templates) {
    const res = await s.request('POST', t.path, { body: t.obj });
    expect({ path: t.path, status: res.status, msg: res.body?.message }).toMatchObject({
      status: 201,
    });
  }
  before = await s.snapshot();
});

afterAll(async () => {
  await s.stop();
});

describe('fuzzed request bodies', () => {
  test('3000 seeded requests: no 5xx, every refusal a Status, store unchanged', async () => {
    const r = prng(20261125);
    const total = 3000;
    const failures: string[] = [];
    const counts = new Map<number, number>();
    let sent = 0;
    const one = async () => {
      const t = r.pick(templates);
      const kind = r.int(10);
      let method = 'POST';
      let path = `${t.path}?dryRun=All`;
      let headers: Record<string, string> = { 'content-type': 'application/json' };
      let raw: string;
      if (kind < 5) {
        raw = JSON.stringify(mutate(r, t.obj));
      } else if (kind < 7) {
        method = 'PUT';
        path = `${t.path}/${t.name}?dryRun=All`;
        const body = mutate(r, t.obj);
        raw = JSON.stringify(body);
      } else if (kind < 9) {
        method = 'PATCH';
        path = `${t.path}/${t.name}?dryRun=All`;
        const type = r.pick(['merge', 'json', 'strategic']);
        headers = {
          'content-type': `application/${type === 'json' ? 'json-patch' : type === 'merge' ? 'merge-patch' : 'strategic-merge-patch'}+json`,
        };
        raw =
          type === 'json'
            ? JSON.stringify([
                {
                  op: r.pick(['add', 'remove', 'replace', 'move', 'copy', 'test']),
                  path: `/${paths(t.obj).length > 0 ? r.pick(paths(t.obj)).join('/') : ''}`,
                  from: '/metadata/name',
                  value: randomValue(r),
                },
              ])
            : JSON.stringify(mutate(r, { metadata: { labels: { a: 'c' } }, spec: {}, data: {} }));
      } else {
        raw = rawMutation(r, JSON.stringify(t.obj));
        if (r.next() < 0.3) headers = { 'content-type': 'application/yaml' };
      }
      const res = await s.request(method, path, { raw, headers });
      sent++;
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || (res.status >= 400 && res.body?.kind !== 'Status')) {
        if (failures.length < 10)
          failures.push(
            `${res.status} ${method} ${path} ${raw.slice(0, 200)} -> ${res.text.slice(0, 200)}`,
          );
      }
    };
    // Requests are generated in a fixed order; 8 in flight at a time.
    for (let i = 0; i < total; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, total - i) }, one));
    }
    expect(sent).toBe(total);
    expect(failures).toEqual([]);
    // The mix exercised both refusals and dry-run successes.
    expect([...counts.keys()].some((c) => c >= 400)).toBe(true);
    expect([...counts.keys()].some((c) => c < 300)).toBe(true);
    expect((await s.request('GET', '/readyz')).status).toBe(200);
    expect(await s.snapshot()).toEqual(before);
  }, 180_000);
});
