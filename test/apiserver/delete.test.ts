import { startTestServer, type TestServer } from './harness.js';

const cms = '/api/v1/namespaces/default/configmaps';
const pods = '/api/v1/namespaces/default/pods';
const deploys = '/apis/apps/v1/namespaces/default/deployments';

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'i' }], ...extra },
});

describe('delete', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('deleting an object answers a Success Status naming it', async () => {
    const c = await s.request('POST', cms, { body: { metadata: { name: 'd1' } } });
    const r = await s.request('DELETE', `${cms}/d1`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'd1', group: '', kind: 'configmaps', uid: c.body.metadata.uid },
    });
    expect((await s.request('GET', `${cms}/d1`)).status).toBe(404);
  });

  test('deleting a missing object is 404', async () => {
    expect((await s.request('DELETE', `${cms}/none`)).status).toBe(404);
  });

  test('a finalizer keeps the object with a deletionTimestamp until it is removed', async () => {
    await s.request('POST', cms, {
      body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] } },
    });
    const r = await s.request('DELETE', `${cms}/fin`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('ConfigMap');
    expect(r.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(r.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await s.request('GET', `${cms}/fin`)).status).toBe(200);
    const added = await s.request('PUT', `${cms}/fin`, {
      body: {
        ...r.body,
        metadata: { ...r.body.metadata, finalizers: ['example.com/hold', 'x/y'] },
      },
    });
    expect(added.status).toBe(422);
    const released = await s.request('PUT', `${cms}/fin`, {
      body: { ...r.body, metadata: { ...r.body.metadata, finalizers: [] } },
    });
    expect(released.status).toBe(200);
    expect((await s.request('GET', `${cms}/fin`)).status).toBe(404);
  });

  test.each([
    ['Orphan', ['orphan']],
    ['Foreground', ['foregroundDeletion']],
  ])('propagationPolicy %s is recorded as the GC finalizer', async (policy, finalizers) => {
    const name = `prop-${policy.toLowerCase()}`;
    await s.request('POST', cms, { body: { metadata: { name } } });
    const r = await s.request('DELETE', `${cms}/${name}`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy },
    });
    expect(r.body.metadata.finalizers).toEqual(finalizers);
    expect(r.body.metadata.deletionTimestamp).toBeDefined();
  });

  test('propagationPolicy=Background deletes at once', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'bg' } } });
    const r = await s.request('DELETE', `${cms}/bg?propagationPolicy=Background`);
    expect(r.body.status).toBe('Success');
  });

  test('an unknown propagationPolicy is 422', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'badprop' } } });
    const r = await s.request('DELETE', `${cms}/badprop?propagationPolicy=Sideways`);
    expect(r.status).toBe(422);
  });

  test('a uid precondition that does not match is 409', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'pre' } } });
    const r = await s.request('DELETE', `${cms}/pre`, {
      body: { preconditions: { uid: 'other' } },
    });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('Precondition failed: UID in precondition: other');
  });

  test('deletion of a deployment with generation bumps it once', async () => {
    const c = await s.request('POST', deploys, {
      body: {
        metadata: { name: 'dg', finalizers: ['example.com/x'] },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: {
            metadata: { labels: { a: 'b' } },
            spec: { containers: [{ name: 'c', image: 'i' }] },
          },
        },
      },
    });
    const r = await s.request('DELETE', `${deploys}/dg`);
    expect(r.body.metadata.generation).toBe(c.body.metadata.generation + 1);
  });

  test('dryRun delete keeps the object', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'drydel' } } });
    const r = await s.request('DELETE', `${cms}/drydel?dryRun=All`);
    expect(r.status).toBe(200);
    expect((await s.request('GET', `${cms}/drydel`)).status).toBe(200);
  });

  test('deletecollection deletes what the selector selects and answers the list', async () => {
    for (const [name, labels] of [
      ['dc1', { batch: 'x' }],
      ['dc2', { batch: 'x' }],
      ['dc3', { batch: 'y' }],
    ] as const) {
      await s.request('POST', cms, { body: { metadata: { name, labels } } });
    }
    const r = await s.request('DELETE', `${cms}?labelSelector=batch%3Dx`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['dc1', 'dc2']);
    const left = await s.request('GET', `${cms}?labelSelector=batch`);
    expect(left.body.items.map((i: any) => i.metadata.name)).toEqual(['dc3']);
  });

  describe('pods', () => {
    test('an unscheduled pod is deleted at once and the pod itself is answered', async () => {
      await s.request('POST', pods, { body: pod('unscheduled') });
      const r = await s.request('DELETE', `${pods}/unscheduled`);
      expect(r.body.kind).toBe('Pod');
      expect((await s.request('GET', `${pods}/unscheduled`)).status).toBe(404);
    });

    test('a scheduled pod is deleted gracefully; grace 0 finishes it', async () => {
      await s.request('POST', pods, {
        body: pod('graceful', { nodeName: 'n1', terminationGracePeriodSeconds: 45 }),
      });
      const r = await s.request('DELETE', `${pods}/graceful`);
      expect(r.status).toBe(200);
      expect(r.body.metadata.deletionGracePeriodSeconds).toBe(45);
      const ts = Date.parse(r.body.metadata.deletionTimestamp);
      expect(ts - Date.now()).toBeGreaterThan(30_000);
      const again = await s.request('DELETE', `${pods}/graceful`);
      expect(again.body.metadata.deletionGracePeriodSeconds).toBe(45);
      const shorter = await s.request('DELETE', `${pods}/graceful?gracePeriodSeconds=10`);
      expect(shorter.body.metadata.deletionGracePeriodSeconds).toBe(10);
      const now = await s.request('DELETE', `${pods}/graceful`, {
        body: { gracePeriodSeconds: 0 },
      });
      expect(now.status).toBe(200);
      expect((await s.request('GET', `${pods}/graceful`)).status).toBe(404);
    });
  });
});
