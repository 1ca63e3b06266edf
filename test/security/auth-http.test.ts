/**
 * Authentication and authorization over real HTTPS against the secure server: client certificates
 * (good, foreign CA, expired, wrong usage), the static token file, ServiceAccount tokens (expired,
 * forged), anonymous access, impersonation headers, the review APIs and escalation checks, with
 * upstream's status codes and messages.
 */
import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../common/index.js';
import { startSecureTestServer, type SecureTestServer } from '../../apiserver/index.js';
import { CertificateAuthority } from '../../apiserver/pki/index.js';
import { signJWT } from '../../apiserver/auth/serviceaccount/jwt.js';
import { call, eventually, type Credentials } from './https.js';

const unauthorized = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};
const rbac = 'rbac.authorization.k8s.io';

let env: SecureTestServer;
let dir: string;
let admin: Credentials;
let bob: Credentials;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kuberx-auth-http-'));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(
    tokenFile,
    'root-token,root,0,"system:masters"\nalice-token,alice,1001,"dev,ops"\n',
  );
  env = await startSecureTestServer({ tokenAuthFile: tokenFile });
  const a = await env.userKubeconfig('kuberx-admin', ['system:masters']);
  admin = { ca: env.caPem, cert: a.certPem, key: a.keyPem };
  const b = await env.userKubeconfig('bob', ['dev']);
  bob = { ca: env.caPem, cert: b.certPem, key: b.keyPem };
});

afterAll(async () => {
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

const get = (c: Credentials, path: string, headers?: Record<string, string | string[]>) =>
  call(env.url, c, 'GET', path, undefined, headers);
const post = (
  c: Credentials,
  path: string,
  body: unknown,
  headers?: Record<string, string | string[]>,
) => call(env.url, c, 'POST', path, body, headers);

describe('client certificates', () => {
  test('the admin certificate (O=system:masters) may do anything', async () => {
    expect((await get(admin, '/api/v1/namespaces')).status).toBe(200);
  });

  test('a request without credentials is 401 with upstream’s body', async () => {
    const res = await get({ ca: env.caPem }, '/api/v1/namespaces');
    expect([res.status, res.body]).toEqual([401, unauthorized]);
  });

  test('an authenticated user without a binding gets 403 with upstream’s message', async () => {
    const res = await get(bob, '/api/v1/namespaces/default/pods');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: 'Forbidden',
      message:
        'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
  });

  test('403 names a cluster-scoped object and the cluster scope', async () => {
    const res = await get(bob, '/api/v1/nodes/n1');
    expect(res.body.message).toBe(
      'nodes "n1" is forbidden: User "bob" cannot get resource "nodes" in API group "" at the cluster scope',
    );
  });

  test('403 on a non-resource path names the path', async () => {
    const res = await get(bob, '/metrics');
    expect([res.status, res.body.message]).toEqual([
      403,
      'forbidden: User "bob" cannot get path "/metrics"',
    ]);
  });

  test('a certificate from another CA is 401', async () => {
    const rogue = await CertificateAuthority.create();
    const pair = await rogue.issue({
      commonName: 'kuberx-admin',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const res = await get(
      { ca: env.caPem, cert: pair.certPem, key: pair.keyPem },
      '/api/v1/namespaces',
    );
    expect([res.status, res.body]).toEqual([401, unauthorized]);
  });

  test('an expired certificate from the cluster CA is 401', async () => {
    const past = new FakeClock(Date.now() - 3 * 24 * 3600_000);
    const ca = await CertificateAuthority.load(
      { certPem: env.secure.pki.ca.certPem, keyPem: env.secure.pki.ca.keyPem },
      past,
    );
    const pair = await ca.issue({ commonName: 'bob', usage: 'client', validityMs: 3600_000 });
    const res = await get(
      { ca: env.caPem, cert: pair.certPem, key: pair.keyPem },
      '/api/v1/namespaces',
    );
    expect(res.status).toBe(401);
  });

  test('a certificate not meant for client authentication is 401', async () => {
    const pair = await env.secure.pki.ca.issue({
      commonName: 'kuberx-admin',
      organizations: ['system:masters'],
      usage: 'server',
    });
    const res = await get(
      { ca: env.caPem, cert: pair.certPem, key: pair.keyPem },
      '/api/v1/namespaces',
    );
    expect(res.status).toBe(401);
  });

  test('a client trusting another CA refuses the server’s certificate', async () => {
    const other = await CertificateAuthority.create();
    await expect(
      get({ ca: other.certPem, cert: admin.cert, key: admin.key }, '/version'),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});

describe('anonymous requests', () => {
  test.each(['/healthz', '/livez', '/readyz', '/version'])(
    '%s is open to anonymous clients',
    async (p) => {
      expect((await get({ ca: env.caPem }, p)).status).toBe(200);
    },
  );

  test.each(['/api', '/apis', '/openapi/v2', '/api/v1/namespaces'])(
    '%s needs credentials',
    async (p) => {
      expect((await get({ ca: env.caPem }, p)).status).toBe(401);
    },
  );
});

describe('bearer tokens', () => {
  test('a token-file user in system:masters may do anything', async () => {
    expect((await get({ ca: env.caPem, token: 'root-token' }, '/api/v1/namespaces')).status).toBe(
      200,
    );
  });

  test('a token-file user gets their groups and system:authenticated', async () => {
    const res = await post(
      { ca: env.caPem, token: 'alice-token' },
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect([res.status, res.body.status.userInfo]).toEqual([
      201,
      { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] },
    ]);
  });

  test('an unknown token is 401 even on paths anonymous users may read', async () => {
    expect((await get({ ca: env.caPem, token: 'nope' }, '/api/v1/namespaces')).status).toBe(401);
    expect((await get({ ca: env.caPem, token: 'nope' }, '/healthz')).status).toBe(401);
  });

  test('an expired ServiceAccount token is 401', async () => {
    await post(admin, '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'old' } });
    const sa = (await get(admin, '/api/v1/namespaces/default/serviceaccounts/old')).body;
    const now = Math.floor(Date.now() / 1000);
    const token = signJWT(
      {
        iss: 'https://kubernetes.default.svc.cluster.local',
        aud: ['https://kubernetes.default.svc.cluster.local'],
        sub: 'system:serviceaccount:default:old',
        iat: now - 7200,
        nbf: now - 7200,
        exp: now - 3600,
        'kubernetes.io': {
          namespace: 'default',
          serviceaccount: { name: 'old', uid: sa.metadata.uid },
        },
      },
      createPrivateKey(env.secure.pki.serviceAccountKey.privateKeyPem),
    );
    expect((await get({ ca: env.caPem, token }, '/api/v1/namespaces')).status).toBe(401);
  });

  test('a ServiceAccount token signed by another key is 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const token = signJWT(
      {
        iss: 'https://kubernetes.default.svc.cluster.local',
        aud: ['https://kubernetes.default.svc.cluster.local'],
        sub: 'system:serviceaccount:default:default',
        exp: now + 3600,
        'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: 'x' } },
      },
      privateKey,
    );
    expect((await get({ ca: env.caPem, token }, '/api/v1/namespaces')).status).toBe(401);
  });
});

describe('impersonation', () => {
  test('an admin acting as bob is refused what bob may not do, in bob’s name', async () => {
    const res = await get(admin, '/api/v1/namespaces/default/pods', { 'Impersonate-User': 'bob' });
    expect(res.body.message).toBe(
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  test('impersonated groups and extras reach the request', async () => {
    const res = await post(
      admin,
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      {
        'Impersonate-User': 'carol',
        'Impersonate-Group': ['g1', 'g2'],
        'Impersonate-Extra-Scopes': 'read',
      },
    );
    expect(res.body.status.userInfo).toEqual({
      username: 'carol',
      groups: ['g1', 'g2', 'system:authenticated'],
      extra: { scopes: ['read'] },
    });
  });

  test('impersonating without the impersonate verb is 403 with upstream’s message', async () => {
    const res = await get(bob, '/api/v1/namespaces', { 'Impersonate-User': 'alice' });
    expect([res.status, res.body.message]).toEqual([
      403,
      'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    ]);
  });

  test('RBAC impersonate on users/<name> and serviceaccounts lets bob act as them', async () => {
    await post(admin, `/apis/${rbac}/v1/clusterroles`, {
      metadata: { name: 'impersonate-alice' },
      rules: [
        { verbs: ['impersonate'], apiGroups: [''], resources: ['users'], resourceNames: ['alice'] },
        { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] },
      ],
    });
    await post(admin, `/apis/${rbac}/v1/clusterrolebindings`, {
      metadata: { name: 'bob-impersonates' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'impersonate-alice' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: rbac }],
    });
    await eventually(
      async () => (await get(bob, '/version', { 'Impersonate-User': 'alice' })).status === 200,
    );
    const asSA = await post(
      bob,
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      { 'Impersonate-User': 'system:serviceaccount:default:robot' },
    );
    expect(asSA.body.status.userInfo.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:default',
      'system:authenticated',
    ]);
    const asOther = await get(bob, '/version', { 'Impersonate-User': 'mallory' });
    expect(asOther.status).toBe(403);
  });

  test('impersonating groups without a user is 400', async () => {
    expect((await get(admin, '/version', { 'Impersonate-Group': 'system:masters' })).status).toBe(
      400,
    );
  });
});

describe('review APIs', () => {
  test('SubjectAccessReview answers for another user', async () => {
    const res = await post(admin, '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'bob',
        resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' },
      },
    });
    expect([res.status, res.body.status]).toEqual([201, { allowed: false }]);
    const masters = await post(admin, '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'x',
        groups: ['system:masters'],
        nonResourceAttributes: { path: '/metrics', verb: 'get' },
      },
    });
    expect(masters.body.status.allowed).toBe(true);
  });

  test('an invalid SubjectAccessReview is 422 with upstream’s field message', async () => {
    const res = await post(admin, '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
    });
    expect([res.status, res.body.message]).toEqual([
      422,
      'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    ]);
  });

  test('LocalSubjectAccessReview must name its own namespace', async () => {
    const res = await post(
      admin,
      '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'LocalSubjectAccessReview',
        spec: {
          user: 'bob',
          resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' },
        },
      },
    );
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(
      'spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
    );
  });

  test('TokenReview says who a token belongs to, and that a bad one authenticates nobody', async () => {
    const good = await post(admin, '/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: 'alice-token' },
    });
    expect(good.body.status).toMatchObject({ authenticated: true, user: { username: 'alice' } });
    const bad = await post(admin, '/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: 'garbage' },
    });
    expect(bad.body.status.authenticated).toBe(false);
  });

  test('reviews are never stored: listing them is 405', async () => {
    expect(
      (await get(admin, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status,
    ).toBe(405);
  });
});

describe('escalation prevention over HTTP', () => {
  beforeAll(async () => {
    await post(admin, `/apis/${rbac}/v1/namespaces/default/rolebindings`, {
      metadata: { name: 'bob-admin' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: rbac }],
    });
    await eventually(
      async () => (await get(bob, '/api/v1/namespaces/default/pods')).status === 200,
    );
  });

  test('a namespace admin may create a Role within admin’s powers', async () => {
    const res = await post(bob, `/apis/${rbac}/v1/namespaces/default/roles`, {
      metadata: { name: 'reader' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    });
    expect(res.status).toBe(201);
  });

  test('… but not one granting nodes, which admin lacks', async () => {
    const res = await post(bob, `/apis/${rbac}/v1/namespaces/default/roles`, {
      metadata: { name: 'nodes' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }],
    });
    expect([res.status, res.body.message]).toEqual([
      403,
      'roles.rbac.authorization.k8s.io "nodes" is forbidden: user "bob" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    ]);
  });

  test('… nor bind cluster-admin in the namespace', async () => {
    const res = await post(bob, `/apis/${rbac}/v1/namespaces/default/rolebindings`, {
      metadata: { name: 'sneaky' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: rbac }],
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(
      'is attempting to grant RBAC permissions not currently held',
    );
  });
});
