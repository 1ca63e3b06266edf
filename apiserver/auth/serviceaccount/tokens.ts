/**
 * ServiceAccount tokens: signed JWTs naming a ServiceAccount, as upstream's
 * `pkg/serviceaccount` issues and validates them.
 *
 * - Bound tokens (TokenRequest, `kubectl create token`) carry `iss`, `aud`, `exp`, `iat`, `nbf`,
 *   `jti`, `sub` and the private claim `kubernetes.io` {namespace, serviceaccount {name, uid},
 *   optionally pod / secret / node {name, uid}}. They are valid until `exp` (with one minute of
 *   leeway, as upstream), for their audiences only, and only while the ServiceAccount — and the
 *   object they are bound to — still exist with the same UID (an object deleted more than
 *   {@link boundObjectDeletionGraceMs} ago no longer counts).
 * - Legacy tokens (Secrets of type `kubernetes.io/service-account-token`) carry the
 *   `kubernetes.io/serviceaccount/*` claims and no expiry; they are valid while the ServiceAccount
 *   and the Secret exist and the Secret still holds this very token.
 *
 * A token whose issuer is not one of ours is "not mine" (the next authenticator may try); any other
 * failure is an {@link AuthenticationError}. The authenticated user is
 * `system:serviceaccount:<ns>:<name>` with the ServiceAccount's UID, groups
 * `system:serviceaccounts` and `system:serviceaccounts:<ns>`, and upstream's `extra` keys.
 */
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { realClock, type Clock } from '../../../common/index.js';
import type { KubeObject } from '../../registry/types.js';
import * as defaults from '../defaults.js';
import { AuthenticationError, type TokenAuthenticator } from '../authn/types.js';
import { serviceAccountGroups, serviceAccountUsername, type UserInfo } from '../user.js';
import type { ObjectGetter } from './getter.js';
import { decodeJWT, signJWT, verifyJWT } from './jwt.js';

/** Leeway on `exp` and `nbf` (upstream `jwt.DefaultLeeway`). */
const leewaySeconds = 60;

export type BoundObjectKind = 'Pod' | 'Secret' | 'Node';

export interface BoundObject {
  kind: BoundObjectKind;
  name: string;
  uid: string;
}

export interface ServiceAccountTokensOptions {
  /** PEM private key (RSA → RS256, P-256 → ES256). */
  privateKeyPem: string;
  /** Extra PEM public keys accepted when verifying (rotated-out keys). */
  extraPublicKeyPems?: string[];
  /** Default {@link defaults.serviceAccountIssuer}. */
  issuer?: string;
  /** Audiences a token must name to reach this API server. Default: `[issuer]`. */
  apiAudiences?: string[];
  getter: ObjectGetter;
  clock?: Clock;
}

const extraKeys = {
  podName: 'authentication.kubernetes.io/pod-name',
  podUID: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUID: 'authentication.kubernetes.io/node-uid',
  credentialID: 'authentication.kubernetes.io/credential-id',
};

const legacyClaims = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  name: 'kubernetes.io/serviceaccount/service-account.name',
  uid: 'kubernetes.io/serviceaccount/service-account.uid',
};

interface Ref {
  name?: string;
  uid?: string;
}

export class ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: string[];
  private readonly privateKey: KeyObject;
  private readonly publicKeys: KeyObject[];
  private readonly clock: Clock;

  constructor(private readonly opts: ServiceAccountTokensOptions) {
    this.issuer = opts.issuer ?? defaults.serviceAccountIssuer;
    this.apiAudiences = opts.apiAudiences ?? [this.issuer];
    this.privateKey = createPrivateKey(opts.privateKeyPem);
    this.publicKeys = [
      createPublicKey(this.privateKey),
      ...(opts.extraPublicKeyPems ?? []).map((p) => createPublicKey(p)),
    ];
    this.clock = opts.clock ?? realClock;
  }

  /** A bound token for `sa`, valid `expirationSeconds` from now. */
  issueBound(opts: {
    serviceAccount: KubeObject;
    audiences: string[];
    expirationSeconds: number;
    boundObject?: BoundObject;
  }): { token: string; expiresAt: Date } {
    const now = Math.floor(this.clock.now() / 1000);
    const meta = opts.serviceAccount.metadata ?? {};
    const ns = meta.namespace ?? '';
    const priv: Record<string, unknown> = {
      namespace: ns,
      serviceaccount: { name: meta.name, uid: meta.uid },
    };
    if (opts.boundObject) {
      priv[opts.boundObject.kind.toLowerCase()] = {
        name: opts.boundObject.name,
        uid: opts.boundObject.uid,
      };
    }
    const exp = now + opts.expirationSeconds;
    const token = signJWT(
      {
        aud: opts.audiences,
        exp,
        iat: now,
        iss: this.issuer,
        jti: randomUUID(),
        'kubernetes.io': priv,
        nbf: now,
        sub: serviceAccountUsername(ns, meta.name ?? ''),
      },
      this.privateKey,
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** A legacy token for `sa`, to be stored in `secret` (`data.token`). */
  issueLegacy(serviceAccount: KubeObject, secretName: string): string {
    const meta = serviceAccount.metadata ?? {};
    return signJWT(
      {
        iss: defaults.legacyServiceAccountIssuer,
        [legacyClaims.namespace]: meta.namespace,
        [legacyClaims.secretName]: secretName,
        [legacyClaims.name]: meta.name,
        [legacyClaims.uid]: meta.uid,
        sub: serviceAccountUsername(meta.namespace ?? '', meta.name ?? ''),
      },
      this.privateKey,
    );
  }

  /** The token authenticator over these keys (upstream `JWTTokenAuthenticator`). */
  authenticator(): TokenAuthenticator {
    return {
      name: 'serviceaccount',
      authenticateToken: async (token, audiences) => {
        const decoded = decodeJWT(token);
        const iss = decoded?.claims.iss;
        if (iss !== this.issuer && iss !== defaults.legacyServiceAccountIssuer) return undefined;
        const claims = verifyJWT(token, this.publicKeys);
        const wanted = audiences ?? this.apiAudiences;
        const user =
          iss === this.issuer
            ? await this.validateBound(claims, wanted)
            : await this.validateLegacy(claims, token, wanted);
        return { user, audiences: wanted };
      },
    };
  }

  private async validateBound(
    claims: Record<string, unknown>,
    wanted: string[],
  ): Promise<UserInfo> {
    const now = this.clock.now() / 1000;
    const exp = claims.exp;
    if (typeof exp !== 'number') throw new AuthenticationError('token has no expiry');
    if (now > exp + leewaySeconds)
      throw new AuthenticationError('service account token has expired');
    if (typeof claims.nbf === 'number' && now < claims.nbf - leewaySeconds)
      throw new AuthenticationError('service account token is not valid yet');
    const aud =
      typeof claims.aud === 'string' ? [claims.aud] : ((claims.aud as unknown[] | undefined) ?? []);
    if (!aud.some((a) => wanted.includes(a as string))) {
      throw new AuthenticationError(
        `token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(wanted)}`,
      );
    }
    const priv = (claims['kubernetes.io'] ?? {}) as Record<string, unknown>;
    const ns = typeof priv.namespace === 'string' ? priv.namespace : '';
    const saRef = (priv.serviceaccount ?? {}) as Ref;
    const sa = await this.mustExist('', 'serviceaccounts', ns, saRef, 'service account');
    const extra: Record<string, string[]> = {};
    if (typeof claims.jti === 'string') extra[extraKeys.credentialID] = [`JTI=${claims.jti}`];
    const pod = priv.pod as Ref | undefined;
    if (pod) {
      await this.mustExist('', 'pods', ns, pod, 'pod');
      extra[extraKeys.podName] = [pod.name ?? ''];
      extra[extraKeys.podUID] = [pod.uid ?? ''];
    }
    const secret = priv.secret as Ref | undefined;
    if (secret) await this.mustExist('', 'secrets', ns, secret, 'secret');
    const node = priv.node as Ref | undefined;
    if (node) {
      await this.mustExist('', 'nodes', '', node, 'node');
      extra[extraKeys.nodeName] = [node.name ?? ''];
      extra[extraKeys.nodeUID] = [node.uid ?? ''];
    }
    return {
      username: serviceAccountUsername(ns, saRef.name ?? ''),
      uid: sa.metadata?.uid,
      groups: serviceAccountGroups(ns),
      extra,
    };
  }

  private async validateLegacy(
    claims: Record<string, unknown>,
    token: string,
    wanted: string[],
  ): Promise<UserInfo> {
    if (!wanted.some((a) => this.apiAudiences.includes(a)))
      throw new AuthenticationError('legacy token is only valid for the API audiences');
    const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
    const ns = str(legacyClaims.namespace);
    const name = str(legacyClaims.name);
    if (!ns || !name) throw new AuthenticationError('token is missing the service account claims');
    if (claims.sub !== serviceAccountUsername(ns, name))
      throw new AuthenticationError('token subject does not match its service account claims');
    const sa = await this.mustExist(
      '',
      'serviceaccounts',
      ns,
      { name, uid: str(legacyClaims.uid) },
      'service account',
    );
    const secretName = str(legacyClaims.secretName);
    const secret = await this.opts.getter.get('', 'secrets', ns, secretName);
    if (!secret || secret.metadata?.deletionTimestamp)
      throw new AuthenticationError(`secret ${ns}/${secretName} is not valid`);
    const data = (secret.data ?? {}) as Record<string, string>;
    if (Buffer.from(data.token ?? '', 'base64').toString('utf8') !== token)
      throw new AuthenticationError('token does not match the secret');
    return {
      username: serviceAccountUsername(ns, name),
      uid: sa.metadata?.uid,
      groups: serviceAccountGroups(ns),
    };
  }

  private async mustExist(
    group: string,
    resource: string,
    namespace: string,
    ref: Ref,
    what: string,
  ): Promise<KubeObject> {
    const where = namespace ? `${namespace}/${ref.name}` : `${ref.name}`;
    const obj = ref.name
      ? await this.opts.getter.get(group, resource, namespace, ref.name)
      : undefined;
    if (!obj) throw new AuthenticationError(`${what} ${where} not found`);
    if (ref.uid && obj.metadata?.uid !== ref.uid) {
      throw new AuthenticationError(
        `${what} UID (${obj.metadata?.uid ?? ''}) does not match claim (${ref.uid})`,
      );
    }
    const deleted = obj.metadata?.deletionTimestamp;
    if (deleted && Date.parse(deleted) < this.clock.now() - defaults.boundObjectDeletionGraceMs) {
      throw new AuthenticationError(`${what} ${where} has been deleted`);
    }
    return obj;
  }
}
