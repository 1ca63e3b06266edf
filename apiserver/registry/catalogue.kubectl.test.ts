/**
 * The whole catalogue through the real server and real clients: every example of
 * `testing/examples.ts` is created over HTTP (201), read back as a server-side Table whose
 * columns are the type's, listed by field selector `metadata.name`, and printed by real kubectl
 * (`kubectl get <all types> -o wide`, oldest and newest installed version) with the upstream
 * column headers.
 *
 * kubectl missing: skipped with a message outside CI, a failure with CI=true.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApiServer, type ApiServer } from '../index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { builtinResourceTypes } from './index.js';
import type { ResourceType } from './types.js';
import { examples } from './testing/examples.js';

const exec = promisify(execFile);
const sdk = '/usr/lib/google-cloud-sdk/bin';
const kubectls = ['1.27', '1.33'].map((v) => `${sdk}/kubectl.${v}`).filter((p) => existsSync(p));
if (kubectls.length === 0 && process.env.CI === 'true') {
  throw new Error(`kubectl is required in CI: neither ${sdk}/kubectl.1.27 nor kubectl.1.33 exists`);
}
if (kubectls.length === 0) {
  // eslint-disable-next-line no-console
  console.warn('kubectl not installed: skipping the kubectl part of the catalogue suite');
}

// Create-only kinds (the reviews) are never stored, listed or printed.
const types = builtinResourceTypes().filter(
  (t) => t.verbs === undefined || t.verbs.includes('list'),
);
const key = (t: ResourceType) => `${t.group}/${t.version}/${t.resource}`;

function collectionPath(t: ResourceType, namespace = 'default'): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return t.namespaced ? `${base}/namespaces/${namespace}/${t.resource}` : `${base}/${t.resource}`;
}

describe('the catalogue served by the API server', () => {
  let storage: Storage;
  let server: ApiServer;
  let url: string;
  let dir: string;
  const created = new Map<string, { status: number; body: any }>();

  beforeAll(async () => {
    storage = await openEmbeddedStorage({ memory: true });
    server = createApiServer({ storage, port: 0, compactionIntervalMs: 0 });
    ({ url } = await server.start());
    dir = await mkdtemp(join(tmpdir(), 'kuberx-catalogue-'));
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: url } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
      'current-context': 'x',
    };
    await writeFile(join(dir, 'kubeconfig'), JSON.stringify(kubeconfig));
    const ns = await fetch(`${url}/api/v1/namespaces/default`);
    if (ns.status === 404) {
      await fetch(`${url}/api/v1/namespaces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: 'default' } }),
      });
    }
    for (const t of types) {
      const res = await fetch(url + collectionPath(t), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(examples[key(t)]),
      });
      created.set(key(t), { status: res.status, body: await res.json() });
    }
  });

  afterAll(async () => {
    await server?.stop();
    await storage?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test.each(types.map((t) => [key(t), t] as const))(
    '%s: the example is created (201) and printed as a Table',
    async (k, t) => {
      const res = created.get(k)!;
      expect([res.status, res.body.kind === 'Status' ? res.body.message : '']).toEqual([201, '']);
      const name = res.body.metadata.name;
      const table = await fetch(
        `${url}${collectionPath(t)}?fieldSelector=metadata.name%3D${encodeURIComponent(name)}`,
        {
          headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
        },
      ).then((r) => r.json() as Promise<any>);
      expect(table.kind).toBe('Table');
      expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(
        t.table!.columns.map((c) => c.name),
      );
      expect(table.rows).toHaveLength(1);
      expect(table.rows[0].cells).toHaveLength(t.table!.columns.length);
    },
  );

  const describeKubectl = kubectls.length ? describe : describe.skip;
  describeKubectl('kubectl get', () => {
    test.each(kubectls)('%s prints every type with the upstream headers', async (kubectl) => {
      const resources = types
        .map((t) => (t.group ? `${t.resource}.${t.version}.${t.group}` : t.resource))
        .join(',');
      const env = {
        ...process.env,
        KUBECONFIG: join(dir, 'kubeconfig'),
        KUBECACHEDIR: join(dir, 'cache'),
        HOME: dir,
      };
      const { stdout } = await exec(
        kubectl,
        ['get', resources, '-o', 'wide', '--request-timeout=20s'],
        { env, maxBuffer: 8 * 1024 * 1024 },
      );
      if (process.env.CATALOGUE_PRINT) process.stderr.write(stdout);
      for (const t of types) {
        const name = examples[key(t)].metadata!.name!;
        expect([key(t), stdout.includes(name)]).toEqual([key(t), true]);
        for (const c of t.table!.columns) {
          expect([key(t), c.name, stdout.includes(c.name.toUpperCase())]).toEqual([
            key(t),
            c.name,
            true,
          ]);
        }
      }
    });
  });
});
