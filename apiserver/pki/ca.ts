/**
 * A certificate authority that issues the cluster's serving and client certificates, as kubeadm's
 * `pki` phase does: a self-signed CA (`CN=kubernetes`), then leaf certificates signed by it.
 *
 * Certificates are X.509 v3, ECDSA P-256 with SHA-256, generated with `@peculiar/x509` over Node's
 * WebCrypto (Node itself parses and verifies X.509 but cannot create it). Leaf certificates carry
 * BasicConstraints CA:false, KeyUsage digitalSignature+keyEncipherment, the ExtendedKeyUsage the
 * request asks for (clientAuth, serverAuth or both), SANs for serving certificates, and the
 * subject/authority key identifiers. A client certificate's subject is `O=<group>…, CN=<user>`, the
 * form the API server's x509 authenticator reads (CN = user name, each O = a group).
 *
 * Times come from the given {@link Clock}; `notBefore` is back-dated by {@link backdateMs}.
 * Everything here is pure in-memory work: reading and writing files is `files.ts`'s.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { realClock, type Clock } from '../../common/index.js';
import * as defaults from './defaults.js';

x509.cryptoProvider.set(webcrypto);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A PEM certificate with its PEM (PKCS#8) private key. */
export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

export type CertificateUsage = 'client' | 'server' | 'client+server';

/** What to put in an issued certificate. */
export interface CertificateRequest {
  commonName: string;
  /** Subject organisations: the groups of a client certificate. */
  organizations?: string[];
  usage: CertificateUsage;
  /** DNS subject alternative names (serving certificates). */
  dnsNames?: string[];
  /** IP subject alternative names (serving certificates), IPv4 or IPv6. */
  ipAddresses?: string[];
  /** Default {@link defaults.certificateValidityMs}. */
  validityMs?: number;
}

/** What the cluster needs to know of a certificate it finds on disk. */
export interface CertificateInfo {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
}

const extKeyUsages: Record<CertificateUsage, x509.ExtendedKeyUsage[]> = {
  client: [x509.ExtendedKeyUsage.clientAuth],
  server: [x509.ExtendedKeyUsage.serverAuth],
  'client+server': [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
};

export class CertificateAuthority {
  private constructor(
    readonly certPem: string,
    readonly keyPem: string,
    private readonly cert: x509.X509Certificate,
    private readonly key: CryptoKey,
    private readonly clock: Clock,
  ) {}

  /** A new self-signed CA. */
  static async create(
    opts: { commonName?: string; validityMs?: number; clock?: Clock } = {},
  ): Promise<CertificateAuthority> {
    const clock = opts.clock ?? realClock;
    const keys = await generateKeyPair();
    const now = clock.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: [{ CN: [opts.commonName ?? defaults.caCommonName] }],
      notBefore: new Date(now - defaults.backdateMs),
      notAfter: new Date(now + (opts.validityMs ?? defaults.caValidityMs)),
      signingAlgorithm: defaults.signingAlgorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign |
            x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const keyPem = await exportPrivateKey(keys.privateKey);
    return new CertificateAuthority(cert.toString('pem'), keyPem, cert, keys.privateKey, clock);
  }

  /** A CA from its PEM certificate and PKCS#8 key; throws when they do not parse or match. */
  static async load(
    pair: CertificatePair,
    clock: Clock = realClock,
  ): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(pair.certPem);
    const key = await importPrivateKey(pair.keyPem);
    const ca = new CertificateAuthority(pair.certPem, pair.keyPem, cert, key, clock);
    const probe = await ca.issue({ commonName: 'probe', usage: 'client', validityMs: 60_000 });
    if (!ca.issued(probe.certPem)) throw new Error('CA certificate and key do not match');
    return ca;
  }

  /** Issues a certificate and a fresh key for `req`. */
  async issue(req: CertificateRequest): Promise<CertificatePair> {
    const keys = await generateKeyPair();
    const now = this.clock.now();
    const subject: x509.JsonName = [
      ...(req.organizations ?? []).map((o) => ({ O: [o] })),
      { CN: [req.commonName] },
    ];
    const names: x509.JsonGeneralName[] = [
      ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(req.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(extKeyUsages[req.usage]),
      await x509.AuthorityKeyIdentifierExtension.create(this.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ];
    if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: this.cert.subject,
      notBefore: new Date(now - defaults.backdateMs),
      notAfter: new Date(now + (req.validityMs ?? defaults.certificateValidityMs)),
      signingAlgorithm: defaults.signingAlgorithm,
      publicKey: keys.publicKey,
      signingKey: this.key,
      extensions,
    });
    return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(keys.privateKey) };
  }

  /** Whether `certPem` parses and carries a valid signature of this CA. */
  issued(certPem: string): boolean {
    try {
      const leaf = new NodeX509Certificate(certPem);
      const ca = new NodeX509Certificate(this.certPem);
      return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
    } catch {
      return false;
    }
  }
}

/** The subject, SANs and validity of a PEM certificate; throws when it does not parse. */
export function certificateInfo(certPem: string): CertificateInfo {
  const cert = new NodeX509Certificate(certPem);
  const subject = cert.subject.split('\n');
  const field = (k: string) =>
    subject.filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
  const sans = (cert.subjectAltName ?? '').split(', ').filter((s) => s.length > 0);
  return {
    commonName: field('CN')[0] ?? '',
    organizations: field('O'),
    dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    ipAddresses: sans
      .filter((s) => s.startsWith('IP Address:'))
      .map((s) => s.slice('IP Address:'.length)),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(defaults.keyAlgorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return toPem(der, 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const body = pem
    .replace(/-----BEGIN PRIVATE KEY-----/, '')
    .replace(/-----END PRIVATE KEY-----/, '')
    .replace(/\s+/g, '');
  if (!body) throw new Error('not a PKCS#8 PEM private key');
  return webcrypto.subtle.importKey(
    'pkcs8',
    Buffer.from(body, 'base64'),
    defaults.keyAlgorithm,
    true,
    ['sign'],
  );
}

function toPem(der: Buffer, label: string): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** A positive 128-bit serial number in hex (RFC 5280 allows up to 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}
