/**
 * The PKI of one cluster under its data dir, laid out as kubeadm's `/etc/kubernetes`:
 *
 * ```text
 * DIR/pki/ca.crt, ca.key                 the cluster CA
 * DIR/pki/apiserver.crt, apiserver.key   the API server's serving certificate
 * DIR/pki/sa.key, sa.pub                 the ServiceAccount token signing key pair (RSA)
 * DIR/pki/clients/<name>.crt, .key       client certificates (admin, controller-manager, …)
 * DIR/kubeconfig                         the admin kubeconfig (CN=kuberx-admin, O=system:masters)
 * DIR/controller-manager.kubeconfig      CN=system:kube-controller-manager
 * DIR/scheduler.kubeconfig               CN=system:kube-scheduler
 * ```
 *
 * Every file is 0600 and every directory 0700. {@link ensureClusterPKI} reuses what it finds and
 * creates only what is missing, expired (or within {@link defaults.renewBeforeMs} of expiry), not
 * issued by the current CA, or — for the serving certificate — missing a requested SAN. A new CA
 * therefore re-issues everything it signs. Client credentials for any user come from
 * {@link ClusterPKI.issueClientCredentials}, e.g. for each simulated node.
 */
import { generateKeyPairSync } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { realClock, type Clock } from '../../common/index.js';
import {
  CertificateAuthority,
  certificateInfo,
  type CertificatePair,
  type CertificateRequest,
} from './ca.js';
import * as defaults from './defaults.js';
import { readOptional, writePrivate } from './files.js';
import { renderKubeconfig } from './kubeconfig.js';

export interface ClusterPKIOptions {
  /** The cluster's data dir; the PKI lives in `DIR/pki`. */
  dataDir: string;
  /** `--advertise-address` values (IPs or DNS names), added to the serving certificate's SANs. */
  advertiseAddresses?: string[];
  /** Default `os.hostname()`. */
  hostname?: string;
  /** The `kubernetes` Service's ClusterIP, added to the serving SANs (e.g. `10.0.0.1`). */
  serviceIP?: string;
  clock?: Clock;
}

/** A client identity: CN = user, O = groups. */
export interface ClientIdentity {
  /** File stem under `DIR/pki/clients/`, e.g. `admin`, `node-n1`. */
  name: string;
  user: string;
  groups?: string[];
}

export interface ClientCredentials extends CertificatePair {
  caPem: string;
  /** Where the kubeconfig was written (absent when none was asked for). */
  kubeconfigPath?: string;
}

/** Identities of kuberx's own components (upstream's user names and groups). */
export const componentIdentities = {
  admin: { name: 'admin', user: 'kuberx-admin', groups: ['system:masters'] },
  controllerManager: { name: 'controller-manager', user: 'system:kube-controller-manager' },
  scheduler: { name: 'scheduler', user: 'system:kube-scheduler' },
} as const satisfies Record<string, ClientIdentity>;

/** The identity of a simulated node (upstream's Node authorizer naming). */
export function nodeIdentity(nodeName: string): ClientIdentity {
  return { name: `node-${nodeName}`, user: `system:node:${nodeName}`, groups: ['system:nodes'] };
}

export class ClusterPKI {
  private constructor(
    readonly dataDir: string,
    readonly ca: CertificateAuthority,
    /** The API server's serving certificate and key. */
    readonly serving: CertificatePair,
    /** PEM (PKCS#8 / SPKI) RSA key pair that signs ServiceAccount tokens. */
    readonly serviceAccountKey: { privateKeyPem: string; publicKeyPem: string },
    private readonly clock: Clock,
  ) {}

  get dir(): string {
    return join(this.dataDir, 'pki');
  }

  /** Loads or creates the CA, serving certificate and ServiceAccount key. */
  static async ensure(opts: ClusterPKIOptions): Promise<ClusterPKI> {
    const clock = opts.clock ?? realClock;
    const dir = join(opts.dataDir, 'pki');
    const ca = await ensureCA(dir, clock);
    const hostnames = [opts.hostname ?? osHostname(), 'localhost', ...defaults.serviceDNSNames];
    const ips = ['127.0.0.1', '::1'];
    for (const a of opts.advertiseAddresses ?? []) (isIP(a) ? ips : hostnames).push(a);
    if (opts.serviceIP) ips.push(opts.serviceIP);
    const serving = await ensureCertificate(ca, clock, join(dir, 'apiserver'), {
      commonName: defaults.servingCommonName,
      usage: 'server',
      dnsNames: [...new Set(hostnames.filter(isDNSName))],
      ipAddresses: [...new Set(ips)],
    });
    const serviceAccountKey = await ensureServiceAccountKey(dir);
    return new ClusterPKI(opts.dataDir, ca, serving, serviceAccountKey, clock);
  }

  /**
   * Client certificate + key for `identity` (reused from `DIR/pki/clients/` when still good),
   * and, when `server` is given, a kubeconfig at `kubeconfigPath` (default
   * `DIR/pki/clients/<name>.kubeconfig`) pointing at it.
   */
  async issueClientCredentials(
    identity: ClientIdentity,
    opts: { server?: string; kubeconfigPath?: string } = {},
  ): Promise<ClientCredentials> {
    const stem = join(this.dir, 'clients', identity.name);
    const pair = await ensureCertificate(this.ca, this.clock, stem, {
      commonName: identity.user,
      organizations: [...(identity.groups ?? [])],
      usage: 'client',
    });
    const creds: ClientCredentials = { ...pair, caPem: this.ca.certPem };
    if (opts.server) {
      creds.kubeconfigPath = opts.kubeconfigPath ?? `${stem}.kubeconfig`;
      await writePrivate(
        creds.kubeconfigPath,
        renderKubeconfig({
          server: opts.server,
          caPem: this.ca.certPem,
          userName: identity.user,
          ...pair,
        }),
      );
    }
    return creds;
  }

  /**
   * Writes the admin, controller-manager and scheduler kubeconfigs for `server` (the URL the API
   * server listens on) at `DIR/kubeconfig`, `DIR/controller-manager.kubeconfig` and
   * `DIR/scheduler.kubeconfig`; returns their paths.
   */
  async writeComponentKubeconfigs(
    server: string,
  ): Promise<{ admin: string; controllerManager: string; scheduler: string }> {
    const write = async (id: ClientIdentity, file: string) =>
      (
        await this.issueClientCredentials(id, {
          server,
          kubeconfigPath: join(this.dataDir, file),
        })
      ).kubeconfigPath!;
    return {
      admin: await write(componentIdentities.admin, 'kubeconfig'),
      controllerManager: await write(
        componentIdentities.controllerManager,
        'controller-manager.kubeconfig',
      ),
      scheduler: await write(componentIdentities.scheduler, 'scheduler.kubeconfig'),
    };
  }
}

/** Shorthand for {@link ClusterPKI.ensure}. */
export function ensureClusterPKI(opts: ClusterPKIOptions): Promise<ClusterPKI> {
  return ClusterPKI.ensure(opts);
}

async function ensureCA(dir: string, clock: Clock): Promise<CertificateAuthority> {
  const certPem = await readOptional(join(dir, 'ca.crt'));
  const keyPem = await readOptional(join(dir, 'ca.key'));
  if (certPem && keyPem && fresh(certPem, clock)) {
    try {
      return await CertificateAuthority.load({ certPem, keyPem }, clock);
    } catch {
      // unreadable or mismatched: make a new one below
    }
  }
  const ca = await CertificateAuthority.create({ clock });
  await writePrivate(join(dir, 'ca.key'), ca.keyPem);
  await writePrivate(join(dir, 'ca.crt'), ca.certPem);
  return ca;
}

async function ensureCertificate(
  ca: CertificateAuthority,
  clock: Clock,
  stem: string,
  req: CertificateRequest,
): Promise<CertificatePair> {
  const certPem = await readOptional(`${stem}.crt`);
  const keyPem = await readOptional(`${stem}.key`);
  if (certPem && keyPem && fresh(certPem, clock) && ca.issued(certPem) && covers(certPem, req)) {
    return { certPem, keyPem };
  }
  const pair = await ca.issue(req);
  await writePrivate(`${stem}.key`, pair.keyPem);
  await writePrivate(`${stem}.crt`, pair.certPem);
  return pair;
}

async function ensureServiceAccountKey(
  dir: string,
): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const privateKeyPem = await readOptional(join(dir, 'sa.key'));
  const publicKeyPem = await readOptional(join(dir, 'sa.pub'));
  if (privateKeyPem && publicKeyPem) return { privateKeyPem, publicKeyPem };
  const pair = generateKeyPairSync('rsa', {
    modulusLength: defaults.serviceAccountKeyBits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await writePrivate(join(dir, 'sa.key'), pair.privateKey);
  await writePrivate(join(dir, 'sa.pub'), pair.publicKey);
  return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
}

function fresh(certPem: string, clock: Clock): boolean {
  try {
    return certificateInfo(certPem).notAfter.getTime() - defaults.renewBeforeMs > clock.now();
  } catch {
    return false;
  }
}

/** Whether an existing certificate has the requested subject and at least the requested SANs. */
function covers(certPem: string, req: CertificateRequest): boolean {
  const info = certificateInfo(certPem);
  const sameGroups =
    [...info.organizations].sort().join('\n') === [...(req.organizations ?? [])].sort().join('\n');
  const normalise = (ip: string) => (ip === '::1' ? '0:0:0:0:0:0:0:1' : ip);
  const ips = new Set(info.ipAddresses.map(normalise));
  return (
    info.commonName === req.commonName &&
    sameGroups &&
    (req.dnsNames ?? []).every((d) => info.dnsNames.includes(d)) &&
    (req.ipAddresses ?? []).every((ip) => ips.has(normalise(ip)))
  );
}

function isDNSName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i.test(name);
}
