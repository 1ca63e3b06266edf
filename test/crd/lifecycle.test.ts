/**
 * CRD lifecycle through the real HTTP server: name conflicts (with another CRD and with a
 * built-in resource), several versions sharing one storage version, CRD updates that change what
 * is served, a server restart on the same store, and deletion held up by an instance's own
 * finalizer (time driven by a FakeClock: the controller's 5 s polling and 1 min check).
 */
import { FakeClock } from '../../common/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { startTestServer, type TestServer } from '../apiserver/harness.js';
import { condition, cronTab, crontabCRD, eventually } from './fixtures.js';

const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const cts = '/apis/stable.example.com/v1/namespaces/default/crontabs';

async function established(s: TestServer, name: string): Promise<any> {
  return eventually(async () => {
    const r = await s.request('GET', `${crds}/${name}`);
    return condition(r.body, 'Established')?.status === 'True' ? r.body : undefined;
  }, `${name} Established`);
}

async function namesAccepted(s: TestServer, name: string): Promise<any> {
  return eventually(async () => {
    const r = await s.request('GET', `${crds}/${name}`);
    return condition(r.body, 'NamesAccepted') ? r.body : undefined;
  }, `${name} NamesAccepted`);
}

function crdWith(
  group: string,
  names: Record<string, unknown>,
  versions = crontabCRD.spec.versions,
) {
  return {
    ...crontabCRD,
    metadata: { name: `${names.plural}.${group}` },
    spec: { ...crontabCRD.spec, group, names, versions },
  };
}

describe('CRD names, versions and updates', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.request('POST', crds, { body: crontabCRD });
    await established(s, 'crontabs.stable.example.com');
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a CRD whose kind another CRD of the group accepted gets NamesAccepted False (KindConflict) and is not served', async () => {
    const clash = crdWith('stable.example.com', {
      plural: 'crontabz',
      kind: 'CronTab',
      listKind: 'CronTabzList',
    });
    expect((await s.request('POST', crds, { body: clash })).status).toBe(201);
    const crd = await namesAccepted(s, 'crontabz.stable.example.com');
    expect(condition(crd, 'NamesAccepted')).toMatchObject({
      status: 'False',
      reason: 'KindConflict',
      message: '"CronTab" is already in use',
    });
    expect(condition(crd, 'Established')).toMatchObject({ status: 'False', reason: 'NotAccepted' });
    expect(crd.status.acceptedNames.kind).toBe('');
    expect(
      (await s.request('GET', '/apis/stable.example.com/v1/namespaces/default/crontabz')).status,
    ).toBe(404);
  });

  test('a CRD can never shadow a built-in resource of its group', async () => {
    const ingress = crdWith('networking.k8s.io', {
      plural: 'ingresses',
      kind: 'Ingress2',
      listKind: 'Ingress2List',
    });
    ingress.metadata = {
      name: 'ingresses.networking.k8s.io',
      annotations: { 'api-approved.kubernetes.io': 'unapproved' },
    } as any;
    expect((await s.request('POST', crds, { body: ingress })).status).toBe(201);
    const crd = await namesAccepted(s, 'ingresses.networking.k8s.io');
    expect(condition(crd, 'NamesAccepted')).toMatchObject({
      status: 'False',
      reason: 'PluralConflict',
    });
    expect(condition(crd, 'KubernetesAPIApprovalPolicyConformant')).toMatchObject({
      status: 'False',
      reason: 'UnapprovedAnnotation',
    });
    const list = await s.request('GET', '/apis/networking.k8s.io/v1/ingresses');
    expect(list.body.kind).toBe('IngressList');
  });

  test('a CRD update adding a served version serves it; objects are stored in the storage version', async () => {
    const current = (await s.request('GET', `${crds}/crontabs.stable.example.com`)).body;
    const v1 = current.spec.versions[0];
    const v2 = {
      ...structuredClone(v1),
      name: 'v2',
      storage: false,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: { image: { type: 'string' }, tier: { type: 'string', default: 'gold' } },
            },
          },
        },
      },
    };
    const upd = await s.request('PUT', `${crds}/crontabs.stable.example.com`, {
      body: { ...current, spec: { ...current.spec, versions: [v1, v2] } },
    });
    expect(upd.status).toBe(200);
    const v2Path = '/apis/stable.example.com/v2/namespaces/default/crontabs';
    await eventually(
      async () => ((await s.request('GET', v2Path)).status === 200 ? true : undefined),
      'v2 served',
    );
    const created = await s.request('POST', v2Path, {
      body: { ...cronTab('multi', { image: 'i' }), apiVersion: 'stable.example.com/v2' },
    });
    expect(created.status).toBe(201);
    // Conversion None: what is read back is pruned and defaulted with the storage version's
    // (v1) schema, so v2's `tier` (written with its v2 default) is not served, as upstream.
    expect(created.body.apiVersion).toBe('stable.example.com/v2');
    expect(created.body.spec).toEqual({ image: 'i', replicas: 1 });
    const viaV1 = await s.request('GET', `${cts}/multi`);
    expect(viaV1.body.apiVersion).toBe('stable.example.com/v1');
    expect(viaV1.body.spec).toEqual({ image: 'i', replicas: 1 });
    const raw = await s.storage.get('/registry/stable.example.com/crontabs/default/multi');
    const stored = JSON.parse(Buffer.from(raw.kv!.value).toString('utf8'));
    expect(stored.apiVersion).toBe('stable.example.com/v1');
    expect(stored.spec).toEqual({ image: 'i', tier: 'gold' });
    const discovery = await s.request('GET', '/apis');
    const group = discovery.body.groups.find((g: any) => g.name === 'stable.example.com');
    expect(group.versions.map((v: any) => v.version)).toEqual(['v2', 'v1']);
  });

  test('a version no longer served disappears from discovery and its URLs', async () => {
    const current = (await s.request('GET', `${crds}/crontabs.stable.example.com`)).body;
    current.spec.versions[1].served = false;
    expect(
      (await s.request('PUT', `${crds}/crontabs.stable.example.com`, { body: current })).status,
    ).toBe(200);
    await eventually(
      async () =>
        (await s.request('GET', '/apis/stable.example.com/v2')).status === 404 ? true : undefined,
      'v2 gone',
    );
    expect((await s.request('GET', `${cts}/multi`)).status).toBe(200);
  });

  test('a schema change applies its new defaults to objects read from storage', async () => {
    const current = (await s.request('GET', `${crds}/crontabs.stable.example.com`)).body;
    current.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.color = {
      type: 'string',
      default: 'blue',
    };
    expect(
      (await s.request('PUT', `${crds}/crontabs.stable.example.com`, { body: current })).status,
    ).toBe(200);
    const obj = await eventually(async () => {
      const r = await s.request('GET', `${cts}/multi`);
      return r.body?.spec?.color ? r.body : undefined;
    }, 'the new default');
    expect(obj.spec).toEqual({ image: 'i', replicas: 1, color: 'blue' });
  });
});

describe('the CRD watch cache starting over', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('the controller follows the new cache when the CRD type is registered again', async () => {
    const registry = s.server.registry;
    const crdType = registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    registry.add(crdType);
    await s.request('POST', crds, { body: crontabCRD });
    const crd = await established(s, 'crontabs.stable.example.com');
    expect(condition(crd, 'NamesAccepted').status).toBe('True');
    expect((await s.request('GET', cts)).status).toBe(200);
  });
});

describe('a server restarted on the same store', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openEmbeddedStorage({ memory: true });
  });
  afterAll(async () => {
    await storage.close();
  });

  test('serves established custom resources from its first request', async () => {
    const first = await startTestServer({ storage });
    await first.request('POST', crds, { body: crontabCRD });
    await established(first, 'crontabs.stable.example.com');
    await first.request('POST', cts, { body: cronTab('kept', { image: 'x' }) });
    await first.server.stop();
    const second = await startTestServer({ storage });
    try {
      const got = await second.request('GET', `${cts}/kept`);
      expect(got.status).toBe(200);
      expect(got.body.spec).toEqual({ image: 'x', replicas: 1 });
    } finally {
      await second.server.stop();
    }
  });
});

describe('CRD deletion held up by an instance finalizer', () => {
  let s: TestServer;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock(Date.now());
    s = await startTestServer({ clock });
    await s.request('POST', crds, { body: crontabCRD });
    await established(s, 'crontabs.stable.example.com');
  });
  afterAll(async () => {
    await s.stop();
  });

  test('creates are refused while terminating; the CRD goes once the instance does', async () => {
    const held = cronTab('held', { image: 'x' });
    (held.metadata as any).finalizers = ['example.com/hold'];
    expect((await s.request('POST', cts, { body: held })).status).toBe(201);
    expect((await s.request('DELETE', `${crds}/crontabs.stable.example.com`)).status).toBe(200);
    const terminating = await eventually(async () => {
      const r = await s.request('GET', `${crds}/crontabs.stable.example.com`);
      return condition(r.body, 'Terminating')?.reason === 'InstanceDeletionInProgress'
        ? r.body
        : undefined;
    }, 'InstanceDeletionInProgress');
    expect(condition(terminating, 'Terminating').message).toBe(
      'CustomResource deletion is in progress',
    );
    const instance = await eventually(async () => {
      const r = await s.request('GET', `${cts}/held`);
      return r.body?.metadata?.deletionTimestamp ? r.body : undefined;
    }, 'the instance to be deleting');
    const create = await s.request('POST', cts, { body: cronTab('late', { image: 'y' }) });
    expect(create.status).toBe(405);
    expect(create.body.message).toBe(
      'create not allowed while custom resource definition is terminating',
    );

    await clock.advance(61_000);
    const check = await eventually(async () => {
      const r = await s.request('GET', `${crds}/crontabs.stable.example.com`);
      return condition(r.body, 'Terminating')?.reason === 'InstanceDeletionCheck'
        ? r.body
        : undefined;
    }, 'InstanceDeletionCheck');
    expect(condition(check, 'Terminating').message).toBe(
      'could not confirm zero CustomResources remaining: timed out waiting for the condition',
    );

    const released = await s.request('PATCH', `${cts}/held`, {
      raw: JSON.stringify({
        metadata: { finalizers: null, resourceVersion: instance.metadata.resourceVersion },
      }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(released.status).toBe(200);
    await clock.advance(5_000);
    await eventually(async () => {
      await clock.advance(5_000);
      return (await s.request('GET', `${crds}/crontabs.stable.example.com`)).status === 404
        ? true
        : undefined;
    }, 'the CRD to be gone');
    expect((await s.request('GET', cts)).status).toBe(404);
  });
});

describe('x-kubernetes-validations rules through the server', () => {
  let s: TestServer;
  const widgets = '/apis/rules.example.com/v1/namespaces/default/widgets';
  beforeAll(async () => {
    s = await startTestServer();
    const crd = crdWith('rules.example.com', { plural: 'widgets', kind: 'Widget' }, [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': [
                  {
                    rule: 'self.minReplicas <= self.replicas',
                    message: 'minReplicas must not exceed replicas',
                  },
                ],
                properties: {
                  replicas: { type: 'integer' },
                  minReplicas: { type: 'integer' },
                  owner: {
                    type: 'string',
                    'x-kubernetes-validations': [
                      { rule: 'self == oldSelf', message: 'Value is immutable' },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    ] as any);
    await s.request('POST', crds, { body: crd });
    await established(s, 'widgets.rules.example.com');
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a failing rule is 422 with its message; a transition rule guards updates', async () => {
    const widget = (spec: object) => ({
      apiVersion: 'rules.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec,
    });
    const bad = await s.request('POST', widgets, { body: widget({ replicas: 1, minReplicas: 2 }) });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe(
      'Widget.rules.example.com "w" is invalid: spec: Invalid value: "object": minReplicas must not exceed replicas',
    );
    const ok = await s.request('POST', widgets, {
      body: widget({ replicas: 2, minReplicas: 1, owner: 'ann' }),
    });
    expect(ok.status).toBe(201);
    const change = await s.request('PUT', `${widgets}/w`, {
      body: { ...ok.body, spec: { ...ok.body.spec, owner: 'bob' } },
    });
    expect(change.status).toBe(422);
    expect(change.body.message).toBe(
      'Widget.rules.example.com "w" is invalid: spec.owner: Invalid value: "string": Value is immutable',
    );
  });
});
