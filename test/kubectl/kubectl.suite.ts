/**
 * The kubectl suite, run by `kubectl.test.ts` once per storage backend: every installed kubectl
 * from 1.27 to 1.33 drives an in-process kuberx API server through the commands of the issue.
 * Each version works in its own namespace with its own discovery cache.
 */
import type { TestServer } from '../apiserver/harness.js';
import { describeKubectl, eventually, Kubectl } from './kubectl-runner.js';

const deployment = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;

const configMap = (name: string, labels = 'tier: cache') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    ${labels}
data:
  key: value
`;

/** Registers the suite; `server()` is the running server (started by the caller's beforeAll). */
export function kubectlSuite(server: () => TestServer): void {
  describeKubectl('kubectl', (version) => {
    const ns = `kubectl-${version.replace('.', '-')}`;
    let k: Kubectl;

    beforeAll(async () => {
      k = new Kubectl(version, server().url, ns);
      // `create -f` (not the `create namespace` generator, which kubectl ≥ 1.32 sends as protobuf).
      await k.ok([
        'create',
        '-f',
        k.file('ns.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`),
      ]);
    });
    afterAll(async () => {
      await k?.close();
    });

    test('api-resources and api-versions list the served types', async () => {
      const resources = await k.ok(['api-resources']);
      expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(resources).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      const versions = (await k.ok(['api-versions'])).split('\n');
      expect(versions).toEqual(expect.arrayContaining(['apps/v1', 'v1', 'coordination.k8s.io/v1']));
    });

    test('explain describes a field from the OpenAPI documents', async () => {
      const out = await k.ok(['explain', 'deployment.spec.replicas']);
      expect(out).toMatch(/replicas/);
      expect(out).toMatch(/integer/);
    });

    test('apply creates, re-apply is unchanged, apply with a change configures (strategic merge patch)', async () => {
      expect(await k.ok(['apply', '-f', k.file('d1.yaml', deployment(2, 'nginx:1.25'))])).toContain(
        'deployment.apps/web created',
      );
      expect(await k.ok(['apply', '-f', k.file('d1.yaml', deployment(2, 'nginx:1.25'))])).toContain(
        'deployment.apps/web unchanged',
      );
      expect(await k.ok(['apply', '-f', k.file('d2.yaml', deployment(3, 'nginx:1.26'))])).toContain(
        'deployment.apps/web configured',
      );
      const out = await k.ok([
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}',
      ]);
      expect(out).toBe('3 nginx:1.26 2');
    });

    test('create -f and get in every output format', async () => {
      await k.ok(['create', '-f', k.file('cm1.yaml', configMap('cm1'))]);
      await k.ok(['create', '-f', k.file('cm2.yaml', configMap('cm2', 'tier: db'))]);
      const table = await k.ok(['get', 'configmaps']);
      expect(table).toMatch(/^NAME\s+DATA\s+AGE$/m);
      expect(table).toMatch(/^cm1\s+1\s+\d+s$/m);
      const json = JSON.parse(await k.ok(['get', 'configmap', 'cm1', '-o', 'json']));
      expect(json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'cm1', namespace: ns } });
      expect(await k.ok(['get', 'configmap', 'cm1', '-o', 'yaml'])).toContain('name: cm1');
      expect(await k.ok(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'])).toContain(
        'cm1 cm2',
      );
      const wide = await k.ok(['get', 'deployments', '-o', 'wide']);
      expect(wide).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/);
      expect(wide).toMatch(/nginx\s+nginx:1.26\s+app=web/);
    });

    test('get with label and field selectors, across namespaces, and in chunks', async () => {
      expect(await k.ok(['get', 'cm', '-l', 'tier=db', '-o', 'name'])).toBe('configmap/cm2\n');
      expect(await k.ok(['get', 'cm', '--field-selector', 'metadata.name=cm1', '-o', 'name'])).toBe(
        'configmap/cm1\n',
      );
      const all = await k.ok(['get', 'cm', '-A', '-l', 'tier']);
      expect(all).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE$/m);
      expect(all).toMatch(new RegExp(`^${ns}\\s+cm1\\s`, 'm'));
      const chunked = await k.ok(['get', 'cm', '--chunk-size=1', '-l', 'tier', '-o', 'name']);
      expect(chunked).toBe('configmap/cm1\nconfigmap/cm2\n');
    });

    test('get -w prints changes as they happen', async () => {
      const w = k.start(['get', 'deployment', 'web', '-w']);
      try {
        await eventually(() => /web\s+0\/3/.test(w.output()));
        await k.ok(['scale', 'deployment', 'web', '--replicas=4']);
        await eventually(() => /web\s+0\/4/.test(w.output()));
      } finally {
        await w.stop();
      }
    });

    test('patch with strategic, merge and JSON patches', async () => {
      await k.ok(['patch', 'deployment', 'web', '-p', '{"spec":{"replicas":1}}']);
      expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
      await k.ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
      expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
      await k.ok([
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/replicas","value":5}]',
      ]);
      expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
      const bad = await k.run([
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":9}]',
      ]);
      expect(bad.code).not.toBe(0);
    });

    test('scale through the /scale subresource', async () => {
      expect(await k.ok(['scale', 'deployment', 'web', '--replicas=6'])).toContain('scaled');
      expect(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('6');
    });

    test('replace writes the whole object', async () => {
      const current = await k.ok(['get', 'configmap', 'cm1', '-o', 'yaml']);
      const changed = current.replace('key: value', 'key: replaced');
      await k.ok(['replace', '-f', k.file('cm1-replace.yaml', changed)]);
      expect(await k.ok(['get', 'cm', 'cm1', '-o', 'jsonpath={.data.key}'])).toBe('replaced');
    });

    test('label and annotate, overwrite and remove', async () => {
      await k.ok(['label', 'configmap', 'cm1', 'color=red']);
      expect((await k.run(['label', 'configmap', 'cm1', 'color=blue'])).code).not.toBe(0);
      await k.ok(['label', 'configmap', 'cm1', 'color=blue', '--overwrite']);
      await k.ok(['annotate', 'configmap', 'cm1', 'note=hello']);
      expect(
        await k.ok([
          'get',
          'cm',
          'cm1',
          '-o',
          'jsonpath={.metadata.labels.color} {.metadata.annotations.note}',
        ]),
      ).toBe('blue hello');
      await k.ok(['label', 'configmap', 'cm1', 'color-']);
      expect(await k.ok(['get', 'cm', '-l', 'color', '-o', 'name'])).toBe('');
    });

    test('apply --server-side reports conflicts with another manager; --force-conflicts takes over', async () => {
      const path = k.file('ssa.yaml', configMap('ssa'));
      await k.ok(['apply', '--server-side', '--field-manager=first', '-f', path]);
      const conflicting = k.file('ssa2.yaml', configMap('ssa').replace('key: value', 'key: other'));
      const conflict = await k.run([
        'apply',
        '--server-side',
        '--field-manager=second',
        '-f',
        conflicting,
      ]);
      expect(conflict.code).not.toBe(0);
      expect(conflict.stderr).toMatch(/conflict/i);
      expect(conflict.stderr).toContain('.data.key');
      await k.ok([
        'apply',
        '--server-side',
        '--field-manager=second',
        '--force-conflicts',
        '-f',
        conflicting,
      ]);
      expect(await k.ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.key}'])).toBe('other');
    });

    test('wait --for=delete returns once the object is gone', async () => {
      await k.ok(['create', '-f', k.file('doomed.yaml', configMap('doomed'))]);
      const waiting = k.run(['wait', '--for=delete', 'configmap/doomed', '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 300));
      await k.ok(['delete', 'configmap', 'doomed', '--wait=false']);
      const r = await waiting;
      expect(r.code).toBe(0);
    });

    test('delete with each cascade mode', async () => {
      for (const name of ['bg', 'orphan', 'fg']) {
        await k.ok(['create', '-f', k.file(`${name}.yaml`, configMap(name))]);
      }
      expect(await k.ok(['delete', 'configmap', 'bg', '--cascade=background'])).toContain(
        'deleted',
      );
      expect((await k.run(['get', 'cm', 'bg'])).code).not.toBe(0);
      await k.ok(['delete', 'configmap', 'orphan', '--cascade=orphan', '--wait=false']);
      expect(
        await k.ok(['get', 'cm', 'orphan', '-o', 'jsonpath={.metadata.finalizers}']),
      ).toContain('orphan');
      await k.ok(['delete', 'configmap', 'fg', '--cascade=foreground', '--wait=false']);
      expect(await k.ok(['get', 'cm', 'fg', '-o', 'jsonpath={.metadata.finalizers}'])).toContain(
        'foregroundDeletion',
      );
      // What the garbage collector does once dependents are handled: remove its finalizer.
      await k.ok(['patch', 'cm', 'fg', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      expect((await k.run(['get', 'cm', 'fg'])).code).not.toBe(0);
      await k.ok(['delete', 'deployment', 'web']);
      expect((await k.run(['get', 'deploy', 'web'])).code).not.toBe(0);
    });

    test('errors come back as kubectl prints upstream Status messages', async () => {
      const missing = await k.run(['get', 'configmap', 'nope']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('configmaps "nope" not found');
      const exists = await k.run([
        'create',
        '-f',
        k.file('cm2-again.yaml', configMap('cm2', 'tier: db')),
      ]);
      expect(exists.stderr).toContain('configmaps "cm2" already exists');
    });
  });
}
