import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeClock, newForbidden, StatusError } from '../../common/index.js';
import type { AdmissionPlugin, Filter, ResourceType } from '../../apiserver/index.js';
import { builtinResourceTypes } from '../../apiserver/registry/index.js';
import { openEmbeddedStorage } from '../../store/index.js';
import { startTestServer } from './harness.js';
import { openWatch } from './watchclient.js';

const cms = '/api/v1/namespaces/default/configmaps';

describe('the filter chain and admission plug-in points', () => {
  test('a filter sees request info and user, and can refuse with a Status', async () => {
    const seen: string[] = [];
    const authn: Filter = async (scope, next) => {
      scope.user = { username: scope.req.headers['x-user'] as string, groups: [] };
      await next();
    };
    const authz: Filter = async (scope, next) => {
      const { info, user } = scope;
      seen.push(`${user?.username}:${info.verb}:${info.resource}:${info.namespace}`);
      if (user?.username === 'mallory' && info.verb === 'delete') {
        throw newForbidden(
          { group: info.apiGroup, resource: info.resource },
          info.name,
          `User "mallory" cannot delete resource "${info.resource}" in API group "" in the namespace "${info.namespace}"`,
        );
      }
      await next();
    };
    const s = await startTestServer({ filters: [authn, authz] });
    try {
      await s.request('POST', cms, {
        body: { metadata: { name: 'x' } },
        headers: { 'x-user': 'alice' },
      });
      const r = await s.request('DELETE', `${cms}/x`, { headers: { 'x-user': 'mallory' } });
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        'configmaps "x" is forbidden: User "mallory" cannot delete resource "configmaps" in API group "" in the namespace "default"',
      );
      expect(seen).toEqual([
        'alice:create:configmaps:default',
        'mallory:delete:configmaps:default',
      ]);
    } finally {
      await s.stop();
    }
  });

  test('admission plugins mutate before validation and validate after it, dry runs included', async () => {
    const calls: string[] = [];
    const plugin: AdmissionPlugin = {
      name: 'Test',
      admit(attrs) {
        if (attrs.resource.resource !== 'configmaps') return;
        calls.push(`admit:${attrs.operation}:${attrs.dryRun}`);
        if (attrs.operation === 'CREATE' && attrs.object) {
          (attrs.object.metadata!.labels ??= {}).admitted = 'yes';
        }
      },
      validate(attrs) {
        if (attrs.resource.resource !== 'configmaps') return;
        calls.push(`validate:${attrs.operation}`);
        if (attrs.object?.metadata?.labels?.forbidden) {
          throw new StatusError({ code: 403, reason: 'Forbidden', message: 'no forbidden labels' });
        }
      },
    };
    const s = await startTestServer({ admission: [plugin] });
    try {
      const c = await s.request('POST', `${cms}?dryRun=All`, { body: { metadata: { name: 'a' } } });
      expect(c.body.metadata.labels).toEqual({ admitted: 'yes' });
      const refused = await s.request('POST', cms, {
        body: { metadata: { name: 'b', labels: { forbidden: 'x' } } },
      });
      expect(refused.status).toBe(403);
      expect(calls).toEqual([
        'admit:CREATE:true',
        'validate:CREATE',
        'admit:CREATE:false',
        'validate:CREATE',
      ]);
    } finally {
      await s.stop();
    }
  });
});

describe('storage lifecycle', () => {
  test('storage is compacted every interval to the revision of the previous interval', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({ memory: true, clock });
    const s = await startTestServer({ storage, clock, compactionIntervalMs: 60_000 });
    try {
      await s.request('POST', cms, { body: { metadata: { name: 'c1' } } });
      await clock.advance(60_000);
      const seen = await storage.currentRevision();
      await s.request('POST', cms, { body: { metadata: { name: 'c2' } } });
      expect((await storage.status()).compactRevision).toBeLessThan(seen);
      await clock.advance(60_000);
      expect((await storage.status()).compactRevision).toBe(seen);
    } finally {
      await s.stop();
    }
  });

  test('objects of a type with ttlSeconds expire through a storage lease', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({ memory: true, clock });
    const ephemeral: ResourceType = {
      group: 'example.com',
      version: 'v1',
      resource: 'ephemerals',
      singularName: 'ephemeral',
      kind: 'Ephemeral',
      namespaced: true,
      storagePrefix: 'example.com/ephemerals',
      ttlSeconds: 20,
    };
    const s = await startTestServer({
      storage,
      clock,
      types: [...builtinResourceTypes(), ephemeral],
    });
    try {
      const path = '/apis/example.com/v1/namespaces/default/ephemerals';
      await s.request('POST', path, { body: { metadata: { name: 'e' } } });
      await clock.advance(10_000);
      expect((await s.request('GET', `${path}/e`)).status).toBe(200);
      await clock.advance(15_000);
      expect((await s.request('GET', `${path}/e`)).status).toBe(404);
    } finally {
      await s.stop();
    }
  });
});

describe('eviction with a PodDisruptionBudget', () => {
  test('a budget with no room is 429; with room the pod goes and the budget records it', async () => {
    const s = await startTestServer();
    const pods = '/api/v1/namespaces/default/pods';
    const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    try {
      for (const name of ['p1', 'p2']) {
        await s.request('POST', pods, {
          body: {
            metadata: { name, labels: { app: 'guarded' } },
            spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
          },
        });
        await s.request('PATCH', `${pods}/${name}/status`, {
          raw: JSON.stringify({ status: { phase: 'Running' } }),
          headers: { 'content-type': 'application/merge-patch+json' },
        });
      }
      const pdb = await s.request('POST', pdbs, {
        body: {
          metadata: { name: 'guard' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
        },
      });
      expect(pdb.status).toBe(201);
      const setStatus = (disruptionsAllowed: number) =>
        s.request('PATCH', `${pdbs}/guard/status`, {
          raw: JSON.stringify({
            status: {
              disruptionsAllowed,
              currentHealthy: 2,
              desiredHealthy: 2 - disruptionsAllowed,
              expectedPods: 2,
              observedGeneration: pdb.body.metadata.generation ?? 1,
            },
          }),
          headers: { 'content-type': 'application/merge-patch+json' },
        });
      await setStatus(0);
      const evict = (name: string) =>
        s.request('POST', `${pods}/${name}/eviction`, {
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } },
        });
      const refused = await evict('p1');
      expect(refused.status).toBe(429);
      expect(refused.body.message).toBe(
        "Cannot evict pod as it would violate the pod's disruption budget.",
      );
      expect(refused.body.details.causes[0].reason).toBe('DisruptionBudget');
      await setStatus(1);
      const allowed = await evict('p1');
      expect(allowed.status).toBe(201);
      const after = await s.request('GET', `${pdbs}/guard`);
      expect(after.body.status.disruptionsAllowed).toBe(0);
      expect(Object.keys(after.body.status.disruptedPods)).toEqual(['p1']);
      const gone = await s.request('GET', `${pods}/p1`);
      expect(gone.body.metadata.deletionTimestamp).toBeDefined();
    } finally {
      await s.stop();
    }
  });
});

describe('the kuberx apiserver command', () => {
  test('it serves until SIGTERM and then exits 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'apiserver', '--memory', '--port', '0', '--insecure-http'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /kuberx apiserver ready: (\S+)/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(m[1]!);
          }
        }, 20);
        child.once('exit', () => {
          clearInterval(timer);
          reject(new Error(`exited early: ${out}`));
        });
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const version = (await (await fetch(`${url}/version`)).json()) as { major: string };
      expect(version.major).toBe('1');
      const w = await openWatch(`${url}/api/v1/namespaces?watch=true`);
      expect((await w.next()).type).toBe('ADDED');
      w.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
