/**
 * Compact JWS (RFC 7515) signing and verification for ServiceAccount tokens, RS256 (RSA keys) or
 * ES256 (P-256 keys), on Node's crypto. The `kid` header is upstream's key id: the unpadded
 * base64url SHA-256 of the public key's DER (SPKI) encoding.
 *
 * Verification checks the signature only; claim checks (issuer, audience, expiry) are the
 * validator's. A token that is not three base64url parts with a JSON header and payload is
 * "malformed"; one whose signature no given key verifies is "invalid signature".
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { AuthenticationError } from '../authn/types.js';

export type JWTAlgorithm = 'RS256' | 'ES256';

export interface JWTHeader {
  alg: JWTAlgorithm;
  kid?: string;
  typ?: string;
}

const b64url = (buf: Buffer) => buf.toString('base64url');
const json64 = (v: unknown) => b64url(Buffer.from(JSON.stringify(v), 'utf8'));

export function algorithmFor(key: KeyObject): JWTAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new Error(`unsupported ServiceAccount signing key type ${key.asymmetricKeyType}`);
}

/** Upstream's `keyIDFromPublicKey`. */
export function keyID(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return b64url(createHash('sha256').update(der).digest());
}

/** Signs `claims` with `privateKey` (RS256 or ES256 by key type). */
export function signJWT(claims: object, privateKey: KeyObject): string {
  const alg = algorithmFor(privateKey);
  const header: JWTHeader = { alg, kid: keyID(createPublicKey(privateKey)) };
  const input = `${json64(header)}.${json64(claims)}`;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(input), privateKey)
      : sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

/** Header and claims of a compact JWS without checking anything; undefined when malformed. */
export function decodeJWT(
  token: string,
): { header: JWTHeader; claims: Record<string, unknown> } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as JWTHeader;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof header.alg !== 'string')
      return undefined;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    return { header, claims: claims as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** Verifies the signature with any of `publicKeys`; returns the claims or throws. */
export function verifyJWT(
  token: string,
  publicKeys: readonly KeyObject[],
): Record<string, unknown> {
  const decoded = decodeJWT(token);
  if (!decoded) throw new AuthenticationError('malformed token');
  const [h, p, s] = token.split('.') as [string, string, string];
  const input = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  for (const key of publicKeys) {
    let alg: JWTAlgorithm;
    try {
      alg = algorithmFor(key);
    } catch {
      continue;
    }
    if (alg !== decoded.header.alg) continue;
    const ok =
      alg === 'RS256'
        ? verify('sha256', input, key, signature)
        : verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (ok) return decoded.claims;
  }
  throw new AuthenticationError('invalid signature');
}
