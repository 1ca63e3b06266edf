import { startTestServer, type TestServer } from './harness.js';

const pods = '/api/v1/namespaces/default/pods';
const svcs = '/api/v1/namespaces/default/services';

const pod = (name: string) => ({
  metadata: { name, labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', image: 'i' }] },
});

const service = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...spec },
});

describe('special REST behaviour', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  describe('pods/binding', () => {
    test('binding sets spec.nodeName and PodScheduled, answering 201 Success', async () => {
      await s.request('POST', pods, { body: pod('b1') });
      const r = await s.request('POST', `${pods}/b1/binding`, {
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: 'b1' },
          target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
        },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
      const p = await s.request('GET', `${pods}/b1`);
      expect(p.body.spec.nodeName).toBe('node-1');
      expect(p.body.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
      );
    });

    test('binding a bound pod is 409', async () => {
      await s.request('POST', pods, { body: pod('b2') });
      const bind = () =>
        s.request('POST', `${pods}/b2/binding`, {
          body: { metadata: { name: 'b2' }, target: { kind: 'Node', name: 'n' } },
        });
      await bind();
      const r = await bind();
      expect(r.status).toBe(409);
      expect(r.body.message).toBe(
        'Operation cannot be fulfilled on pods/binding "b2": pod b2 is already assigned to node "n"',
      );
    });

    test('a binding without a target name is 422', async () => {
      await s.request('POST', pods, { body: pod('b3') });
      const r = await s.request('POST', `${pods}/b3/binding`, {
        body: { metadata: { name: 'b3' }, target: { kind: 'Node' } },
      });
      expect(r.status).toBe(422);
    });
  });

  describe('pods/eviction', () => {
    test('an eviction without a disruption budget deletes the pod', async () => {
      await s.request('POST', pods, { body: pod('e1') });
      const r = await s.request('POST', `${pods}/e1/eviction`, {
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'e1' } },
      });
      expect(r.status).toBe(201);
      expect((await s.request('GET', `${pods}/e1`)).status).toBe(404);
    });

    test('evicting a missing pod is 404', async () => {
      const r = await s.request('POST', `${pods}/ghost/eviction`, {
        body: { metadata: { name: 'ghost' } },
      });
      expect(r.status).toBe(404);
    });
  });

  describe('namespaces', () => {
    test('delete marks Terminating; content cannot be created; the finalize that empties spec.finalizers removes it', async () => {
      await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'doomed' } } });
      const d = await s.request('DELETE', '/api/v1/namespaces/doomed');
      expect(d.status).toBe(200);
      expect(d.body.status.phase).toBe('Terminating');
      expect(d.body.metadata.deletionTimestamp).toBeDefined();
      expect(d.body.spec.finalizers).toEqual(['kubernetes']);

      const create = await s.request('POST', '/api/v1/namespaces/doomed/configmaps', {
        body: { metadata: { name: 'late' } },
      });
      expect(create.status).toBe(403);
      expect(create.body.message).toBe(
        'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      );

      const again = await s.request('DELETE', '/api/v1/namespaces/doomed');
      expect(again.status).toBe(409);

      const fin = await s.request('PUT', '/api/v1/namespaces/doomed/finalize', {
        body: { ...d.body, spec: { finalizers: [] } },
      });
      expect(fin.status).toBe(200);
      expect(fin.body.spec.finalizers).toBeUndefined();
      // Upstream `ShouldDeleteNamespaceDuringUpdate`: no finalizers left on a deleting namespace.
      expect((await s.request('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
    });

    test('system namespaces exist and cannot be deleted', async () => {
      const list = await s.request('GET', '/api/v1/namespaces');
      const names = list.body.items.map((i: any) => i.metadata.name);
      expect(names).toEqual(
        expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']),
      );
      const r = await s.request('DELETE', '/api/v1/namespaces/kube-system');
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        'namespaces "kube-system" is forbidden: this namespace may not be deleted',
      );
    });
  });

  describe('services', () => {
    test('the kubernetes Service holds the first address of the range', async () => {
      const r = await s.request('GET', `${svcs}/kubernetes`);
      expect(r.body.spec.clusterIP).toBe('10.0.0.1');
    });

    test('a ClusterIP is allocated from the range and set in clusterIPs', async () => {
      const r = await s.request('POST', svcs, { body: service('s1') });
      expect(r.status).toBe(201);
      expect(r.body.spec.clusterIP).toMatch(/^10\.0\.0\.\d+$/);
      expect(r.body.spec.clusterIPs).toEqual([r.body.spec.clusterIP]);
    });

    test('a requested IP that is taken is 422; it is free again after its Service is deleted', async () => {
      const first = await s.request('POST', svcs, {
        body: service('s2', { clusterIP: '10.0.0.200' }),
      });
      expect(first.body.spec.clusterIP).toBe('10.0.0.200');
      const taken = await s.request('POST', svcs, {
        body: service('s3', { clusterIP: '10.0.0.200' }),
      });
      expect(taken.status).toBe(422);
      expect(taken.body.message).toContain('provided IP is already allocated');
      await s.request('DELETE', `${svcs}/s2`);
      const again = await s.request('POST', svcs, {
        body: service('s3', { clusterIP: '10.0.0.200' }),
      });
      expect(again.status).toBe(201);
    });

    test('an IP outside the range is 422', async () => {
      const r = await s.request('POST', svcs, { body: service('s4', { clusterIP: '10.9.9.9' }) });
      expect(r.status).toBe(422);
      expect(r.body.message).toContain('The range of valid IPs is 10.0.0.0/24');
    });

    test('headless services get no IP', async () => {
      const r = await s.request('POST', svcs, { body: service('hl', { clusterIP: 'None' }) });
      expect(r.body.spec.clusterIP).toBe('None');
    });

    test('NodePort services get node ports from the range; a taken port is 422', async () => {
      const r = await s.request('POST', svcs, { body: service('np', { type: 'NodePort' }) });
      const port = r.body.spec.ports[0].nodePort;
      expect(port).toBeGreaterThanOrEqual(30000);
      expect(port).toBeLessThanOrEqual(32767);
      const clash = await s.request('POST', svcs, {
        body: service('np2', {
          type: 'NodePort',
          ports: [{ port: 80, protocol: 'TCP', nodePort: port }],
        }),
      });
      expect(clash.status).toBe(422);
      expect(clash.body.details.causes[0].field).toBe('spec.ports[0].nodePort');
    });

    test('a dry-run create does not keep its IP', async () => {
      const dry = await s.request('POST', `${svcs}?dryRun=All`, {
        body: service('dry', { clusterIP: '10.0.0.201' }),
      });
      expect(dry.status).toBe(201);
      const real = await s.request('POST', svcs, {
        body: service('real', { clusterIP: '10.0.0.201' }),
      });
      expect(real.status).toBe(201);
    });
  });
});
