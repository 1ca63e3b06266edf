import { generateKeyPairSync } from 'node:crypto';
import { FakeClock } from '../../../common/index.js';
import type { KubeObject } from '../../registry/types.js';
import { AuthenticationError } from '../authn/types.js';
import type { ObjectGetter } from './getter.js';
import { decodeJWT, signJWT } from './jwt.js';
import { ServiceAccountTokens } from './tokens.js';

const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const ec = () =>
  generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

const rsaKey = rsa();

function world() {
  const objects = new Map<string, KubeObject>();
  const put = (resource: string, obj: KubeObject) =>
    objects.set(`${resource}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`, obj);
  const getter: ObjectGetter = { get: async (_g, r, ns, n) => objects.get(`${r}/${ns}/${n}`) };
  const sa = { metadata: { name: 'builder', namespace: 'team', uid: 'sa-uid' } };
  put('serviceaccounts', sa);
  return { objects, put, getter, sa };
}

function setup(privateKeyPem = rsaKey.privateKey) {
  const w = world();
  const clock = new FakeClock(Date.UTC(2030, 0, 1));
  const tokens = new ServiceAccountTokens({ privateKeyPem, getter: w.getter, clock });
  return { ...w, clock, tokens, auth: tokens.authenticator() };
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AuthenticationError);
    return (err as Error).message;
  }
  throw new Error('expected an authentication failure');
}

describe('bound ServiceAccount tokens', () => {
  test.each([
    ['RS256', rsaKey.privateKey],
    ['ES256', ec().privateKey],
  ])(
    'a %s token authenticates its ServiceAccount with upstream groups and extras',
    async (alg, key) => {
      const { tokens, auth, sa } = setup(key);
      const { token } = tokens.issueBound({
        serviceAccount: sa,
        audiences: tokens.apiAudiences,
        expirationSeconds: 3600,
      });
      expect(decodeJWT(token)!.header.alg).toBe(alg);
      const res = await auth.authenticateToken(token);
      expect(res!.user).toMatchObject({
        username: 'system:serviceaccount:team:builder',
        uid: 'sa-uid',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:team'],
      });
      expect(res!.user.extra!['authentication.kubernetes.io/credential-id']![0]).toMatch(/^JTI=/);
    },
  );

  test('claims follow upstream: iss, sub, aud, exp = iat + expirationSeconds, kubernetes.io', () => {
    const { tokens, sa, clock } = setup();
    const { token, expiresAt } = tokens.issueBound({
      serviceAccount: sa,
      audiences: ['a'],
      expirationSeconds: 600,
    });
    const { claims } = decodeJWT(token)!;
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:team:builder',
      aud: ['a'],
      iat: clock.now() / 1000,
      exp: clock.now() / 1000 + 600,
      'kubernetes.io': { namespace: 'team', serviceaccount: { name: 'builder', uid: 'sa-uid' } },
    });
    expect(expiresAt.getTime()).toBe(clock.now() + 600_000);
  });

  test('an expired token is refused (after upstream’s one minute of leeway)', async () => {
    const { tokens, auth, sa, clock } = setup();
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: tokens.apiAudiences,
      expirationSeconds: 600,
    });
    clock.step(600_000 + 59_000);
    await expect(auth.authenticateToken(token)).resolves.toBeDefined();
    clock.step(2_000);
    expect(await failure(auth.authenticateToken(token))).toBe('service account token has expired');
  });

  test('a token for another audience is refused', async () => {
    const { tokens, auth, sa } = setup();
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: ['vault'],
      expirationSeconds: 600,
    });
    expect(await failure(auth.authenticateToken(token))).toContain(
      'is invalid for the target audiences',
    );
    await expect(auth.authenticateToken(token, ['vault'])).resolves.toBeDefined();
  });

  test('a token signed by another key is refused as forged', async () => {
    const { auth, sa } = setup();
    const other = new ServiceAccountTokens({
      privateKeyPem: rsa().privateKey,
      getter: world().getter,
    });
    const { token } = other.issueBound({
      serviceAccount: sa,
      audiences: other.apiAudiences,
      expirationSeconds: 600,
    });
    expect(await failure(auth.authenticateToken(token))).toBe('invalid signature');
  });

  test('a token whose payload was altered no longer verifies', async () => {
    const { tokens, auth, sa } = setup();
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: tokens.apiAudiences,
      expirationSeconds: 600,
    });
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    claims['kubernetes.io'].serviceaccount.name = 'admin';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect(await failure(auth.authenticateToken(forged))).toBe('invalid signature');
  });

  test('a token of a deleted ServiceAccount is refused', async () => {
    const { tokens, auth, sa, objects } = setup();
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: tokens.apiAudiences,
      expirationSeconds: 600,
    });
    objects.clear();
    expect(await failure(auth.authenticateToken(token))).toBe(
      'service account team/builder not found',
    );
  });

  test('a token of a ServiceAccount re-created under the same name is refused', async () => {
    const { tokens, auth, sa, put } = setup();
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: tokens.apiAudiences,
      expirationSeconds: 600,
    });
    put('serviceaccounts', { metadata: { name: 'builder', namespace: 'team', uid: 'new-uid' } });
    expect(await failure(auth.authenticateToken(token))).toBe(
      'service account UID (new-uid) does not match claim (sa-uid)',
    );
  });

  test('a pod-bound token lives while its pod does and carries the pod in extra', async () => {
    const { tokens, auth, sa, put, objects, clock } = setup();
    const pod = { metadata: { name: 'web', namespace: 'team', uid: 'pod-uid' } };
    put('pods', pod);
    const { token } = tokens.issueBound({
      serviceAccount: sa,
      audiences: tokens.apiAudiences,
      expirationSeconds: 600,
      boundObject: { kind: 'Pod', name: 'web', uid: 'pod-uid' },
    });
    const res = await auth.authenticateToken(token);
    expect(res!.user.extra).toMatchObject({
      'authentication.kubernetes.io/pod-name': ['web'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
    });
    put('pods', {
      metadata: { ...pod.metadata, deletionTimestamp: new Date(clock.now()).toISOString() },
    });
    await expect(auth.authenticateToken(token)).resolves.toBeDefined();
    clock.step(61_000);
    expect(await failure(auth.authenticateToken(token))).toBe('pod team/web has been deleted');
    objects.delete('pods/team/web');
    expect(await failure(auth.authenticateToken(token))).toBe('pod team/web not found');
  });

  test('a JWT from another issuer is not ours: the next authenticator may try', async () => {
    const { auth } = setup();
    const foreign = signJWT(
      { iss: 'https://idp.example', sub: 'x' },
      (await import('node:crypto')).createPrivateKey(rsaKey.privateKey),
    );
    await expect(auth.authenticateToken(foreign)).resolves.toBeUndefined();
    await expect(auth.authenticateToken('not-a-jwt')).resolves.toBeUndefined();
  });
});

describe('legacy (Secret-based) ServiceAccount tokens', () => {
  test('valid while the Secret holds exactly this token', async () => {
    const { tokens, auth, sa, put } = setup();
    const token = tokens.issueLegacy(sa, 'builder-token');
    put('secrets', {
      metadata: { name: 'builder-token', namespace: 'team' },
      data: { token: Buffer.from(token).toString('base64') },
    });
    await expect(auth.authenticateToken(token)).resolves.toMatchObject({
      user: { username: 'system:serviceaccount:team:builder' },
    });
    put('secrets', {
      metadata: { name: 'builder-token', namespace: 'team' },
      data: { token: Buffer.from('rotated').toString('base64') },
    });
    expect(await failure(auth.authenticateToken(token))).toBe('token does not match the secret');
  });

  test('refused once its Secret is gone', async () => {
    const { tokens, auth, sa } = setup();
    const token = tokens.issueLegacy(sa, 'builder-token');
    expect(await failure(auth.authenticateToken(token))).toBe(
      'secret team/builder-token is not valid',
    );
  });
});
