import { describe, expect, test } from '@jest/globals';
import { StatusError } from '../../common/index.js';
import { serviceAccountAdmission } from './serviceaccount.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';

type Obj = Record<string, any>;

const sa = (name: string, { metadata, ...extra }: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'default', ...(metadata ?? {}) },
  ...extra,
});

function plugin(lookup: FakeLookup) {
  return serviceAccountAdmission({ lookup, generateName: (base) => `${base}abcde` });
}

async function admitPod(lookup: FakeLookup, p = pod('web')) {
  const attrs = attrsFor('', 'pods', 'CREATE', { object: p });
  const sap = plugin(lookup);
  await sap.admit!(attrs);
  await sap.validate!(attrs);
  return attrs.object as Obj;
}

describe('ServiceAccount admission', () => {
  test('a pod without a service account gets "default" and the projected token volume', async () => {
    const lookup = new FakeLookup().add('', 'serviceaccounts', sa('default'));
    const out = await admitPod(lookup);
    expect(out.spec.serviceAccountName).toBe('default');
    expect(out.spec.serviceAccount).toBe('default');
    expect(out.spec.volumes).toEqual([
      {
        name: 'kube-api-access-abcde',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [
                  {
                    path: 'namespace',
                    fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                  },
                ],
              },
            },
          ],
          defaultMode: 420,
        },
      },
    ]);
    expect(out.spec.containers[0].volumeMounts).toEqual([
      {
        name: 'kube-api-access-abcde',
        readOnly: true,
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      },
    ]);
  });

  test('an unknown service account is refused with 403 and upstream message', async () => {
    const lookup = new FakeLookup();
    const err = await admitPod(lookup, pod('web', { serviceAccountName: 'robot' })).catch((e) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(403);
    expect((err as StatusError).message).toBe(
      'pods "web" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
  });

  test.each([
    ['the pod opts out', { automountServiceAccountToken: false }, {}],
    ['the account opts out', {}, { automountServiceAccountToken: false }],
  ])('no token volume is mounted when %s', async (_case, podSpec, saExtra) => {
    const lookup = new FakeLookup().add('', 'serviceaccounts', sa('default', saExtra));
    const out = await admitPod(lookup, pod('web', podSpec));
    expect(out.spec.volumes).toBeUndefined();
    expect(out.spec.containers[0].volumeMounts).toBeUndefined();
  });

  test("the pod's automount choice wins over the account's", async () => {
    const lookup = new FakeLookup().add(
      '',
      'serviceaccounts',
      sa('default', { automountServiceAccountToken: false }),
    );
    const out = await admitPod(lookup, pod('web', { automountServiceAccountToken: true }));
    expect(out.spec.volumes).toHaveLength(1);
  });

  test('a container that already mounts the token path is left alone', async () => {
    const lookup = new FakeLookup().add('', 'serviceaccounts', sa('default'));
    const mount = { name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    const out = await admitPod(
      lookup,
      pod('web', {
        containers: [
          { name: 'a', image: 'x', volumeMounts: [mount] },
          { name: 'b', image: 'x' },
        ],
        initContainers: [{ name: 'init', image: 'x' }],
      }),
    );
    expect(out.spec.containers[0].volumeMounts).toEqual([mount]);
    expect(out.spec.containers[1].volumeMounts[0].name).toBe('kube-api-access-abcde');
    expect(out.spec.initContainers[0].volumeMounts[0].name).toBe('kube-api-access-abcde');
  });

  test("the account's image pull secrets are copied to a pod that has none", async () => {
    const lookup = new FakeLookup().add(
      '',
      'serviceaccounts',
      sa('default', { imagePullSecrets: [{ name: 'regcred' }] }),
    );
    const out = await admitPod(lookup);
    expect(out.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('enforce-mountable-secrets refuses a secret the account does not list', async () => {
    const lookup = new FakeLookup().add(
      '',
      'serviceaccounts',
      sa('default', {
        metadata: { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
        secrets: [{ name: 'ok' }],
      }),
    );
    const p = pod('web', { volumes: [{ name: 'v', secret: { secretName: 'other' } }] });
    await expect(admitPod(lookup, p)).rejects.toThrow(
      'volume with secret.secretName="other" is not allowed because service account default does not reference that secret',
    );
  });

  test.each([
    [
      'a service account',
      { serviceAccountName: 'default' },
      'a mirror pod may not reference service accounts',
    ],
    [
      'a secret',
      { volumes: [{ name: 's', secret: { secretName: 'x' } }] },
      'a mirror pod may not reference secrets',
    ],
  ])('a mirror pod referencing %s is refused', async (_c, spec, message) => {
    const lookup = new FakeLookup();
    const p = pod('static', spec);
    p.metadata!.annotations = { 'kubernetes.io/config.mirror': 'hash' };
    await expect(admitPod(lookup, p)).rejects.toThrow(message);
  });

  test('a plain mirror pod is neither mutated nor refused', async () => {
    const p = pod('static');
    p.metadata!.annotations = { 'kubernetes.io/config.mirror': 'hash' };
    const out = await admitPod(new FakeLookup(), p);
    expect(out.spec.serviceAccountName).toBeUndefined();
    expect(out.spec.volumes).toBeUndefined();
  });

  test('pod updates and other resources are not touched', async () => {
    const sap = plugin(new FakeLookup());
    const update = attrsFor('', 'pods', 'UPDATE', { object: pod('web'), oldObject: pod('web') });
    await sap.admit!(update);
    expect((update.object as Obj).spec.serviceAccountName).toBeUndefined();
    const cm = attrsFor('', 'configmaps', 'CREATE', {
      object: { metadata: { name: 'c', namespace: 'default' } },
    });
    await expect(sap.admit!(cm)).resolves.toBeUndefined();
  });
});
