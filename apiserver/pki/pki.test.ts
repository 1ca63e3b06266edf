import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FakeClock } from '../../common/index.js';
import {
  CertificateAuthority,
  certificateInfo,
  componentIdentities,
  ensureClusterPKI,
  nodeIdentity,
  pkiDefaults,
} from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kuberx-pki-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (p: string) => (await stat(p)).mode & 0o777;
const clientAuth = '1.3.6.1.5.5.7.3.2';
const serverAuth = '1.3.6.1.5.5.7.3.1';

describe('CertificateAuthority', () => {
  test('a client certificate carries the user as CN and each group as an O', async () => {
    const ca = await CertificateAuthority.create();
    const pair = await ca.issue({
      commonName: 'bob',
      organizations: ['dev', 'ops'],
      usage: 'client',
    });
    const info = certificateInfo(pair.certPem);
    expect(info.commonName).toBe('bob');
    expect(info.organizations).toEqual(['dev', 'ops']);
    expect(new X509Certificate(pair.certPem).keyUsage).toEqual([clientAuth]);
  });

  test('a serving certificate carries its DNS and IP SANs and serverAuth only', async () => {
    const ca = await CertificateAuthority.create();
    const pair = await ca.issue({
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.keyUsage).toEqual([serverAuth]);
    expect(cert.ca).toBe(false);
  });

  test('only certificates it signed count as issued by it', async () => {
    const ca = await CertificateAuthority.create();
    const other = await CertificateAuthority.create();
    const pair = await other.issue({ commonName: 'mallory', usage: 'client' });
    expect(ca.issued(pair.certPem)).toBe(false);
    expect(other.issued(pair.certPem)).toBe(true);
    expect(ca.issued('not a certificate')).toBe(false);
  });

  test('a CA loaded from its PEM files signs like the original', async () => {
    const ca = await CertificateAuthority.create();
    const loaded = await CertificateAuthority.load({ certPem: ca.certPem, keyPem: ca.keyPem });
    const pair = await loaded.issue({ commonName: 'x', usage: 'client' });
    expect(ca.issued(pair.certPem)).toBe(true);
  });

  test('a CA certificate with somebody else’s key does not load', async () => {
    const a = await CertificateAuthority.create();
    const b = await CertificateAuthority.create();
    await expect(
      CertificateAuthority.load({ certPem: a.certPem, keyPem: b.keyPem }),
    ).rejects.toThrow();
  });

  test('validity follows the injected clock, back-dated for skew', async () => {
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    const ca = await CertificateAuthority.create({ clock });
    const info = certificateInfo((await ca.issue({ commonName: 'x', usage: 'client' })).certPem);
    expect(info.notBefore.getTime()).toBe(clock.now() - pkiDefaults.backdateMs);
    expect(info.notAfter.getTime()).toBe(clock.now() + pkiDefaults.certificateValidityMs);
  });
});

describe('ensureClusterPKI', () => {
  test('first start creates the CA, serving cert and SA key as 0600 files in a 0700 dir', async () => {
    const pki = await ensureClusterPKI({
      dataDir: dir,
      hostname: 'box1',
      advertiseAddresses: ['192.0.2.7'],
    });
    expect(await mode(join(dir, 'pki'))).toBe(0o700);
    for (const f of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'sa.key', 'sa.pub'])
      expect(await mode(join(dir, 'pki', f))).toBe(0o600);
    const serving = certificateInfo(pki.serving.certPem);
    expect(serving.dnsNames).toEqual(
      expect.arrayContaining(['box1', 'localhost', 'kubernetes.default.svc']),
    );
    expect(serving.ipAddresses).toEqual(expect.arrayContaining(['127.0.0.1', '192.0.2.7']));
    expect(pki.ca.issued(pki.serving.certPem)).toBe(true);
  });

  test('the admin kubeconfig embeds the CA and a system:masters client certificate', async () => {
    const pki = await ensureClusterPKI({ dataDir: dir });
    const paths = await pki.writeComponentKubeconfigs('https://127.0.0.1:6443');
    expect(paths.admin).toBe(join(dir, 'kubeconfig'));
    expect(await mode(paths.admin)).toBe(0o600);
    const kc = parse(await readFile(paths.admin, 'utf8'));
    const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    expect(kc.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(b64(kc.clusters[0].cluster['certificate-authority-data'])).toBe(pki.ca.certPem);
    const cert = b64(kc.users[0].user['client-certificate-data']);
    expect(certificateInfo(cert)).toMatchObject({
      commonName: 'kuberx-admin',
      organizations: ['system:masters'],
    });
    expect(b64(kc.users[0].user['client-key-data'])).toContain('PRIVATE KEY');
    expect(kc['current-context']).toBe(kc.contexts[0].name);
  });

  test.each([
    ['controllerManager', 'controller-manager.kubeconfig', 'system:kube-controller-manager'],
    ['scheduler', 'scheduler.kubeconfig', 'system:kube-scheduler'],
  ] as const)('the %s kubeconfig (%s) authenticates as %s', async (key, file, user) => {
    const pki = await ensureClusterPKI({ dataDir: dir });
    const paths = await pki.writeComponentKubeconfigs('https://127.0.0.1:1');
    expect(paths[key]).toBe(join(dir, file));
    const kc = parse(await readFile(paths[key], 'utf8'));
    const cert = Buffer.from(kc.users[0].user['client-certificate-data'], 'base64').toString();
    expect(certificateInfo(cert)).toMatchObject({ commonName: user, organizations: [] });
  });

  test('a node gets system:node:<name> in group system:nodes', async () => {
    const pki = await ensureClusterPKI({ dataDir: dir });
    const creds = await pki.issueClientCredentials(nodeIdentity('n1'), {
      server: 'https://127.0.0.1:1',
    });
    expect(certificateInfo(creds.certPem)).toMatchObject({
      commonName: 'system:node:n1',
      organizations: ['system:nodes'],
    });
    expect(await mode(creds.kubeconfigPath!)).toBe(0o600);
  });

  test('a restart reuses every file it finds', async () => {
    const first = await ensureClusterPKI({ dataDir: dir });
    const a1 = await first.issueClientCredentials(componentIdentities.admin);
    const second = await ensureClusterPKI({ dataDir: dir });
    const a2 = await second.issueClientCredentials(componentIdentities.admin);
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.serving).toEqual(first.serving);
    expect(second.serviceAccountKey).toEqual(first.serviceAccountKey);
    expect(a2).toEqual(a1);
  });

  test('only the missing file is created again', async () => {
    const first = await ensureClusterPKI({ dataDir: dir });
    await unlink(join(dir, 'pki', 'apiserver.key'));
    const second = await ensureClusterPKI({ dataDir: dir });
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.serving.certPem).not.toBe(first.serving.certPem);
    expect(second.serviceAccountKey).toEqual(first.serviceAccountKey);
  });

  test('an expired serving certificate is issued again by the same CA', async () => {
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    const first = await ensureClusterPKI({ dataDir: dir, clock });
    clock.step(pkiDefaults.certificateValidityMs);
    const second = await ensureClusterPKI({ dataDir: dir, clock });
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.serving.certPem).not.toBe(first.serving.certPem);
    expect(certificateInfo(second.serving.certPem).notAfter.getTime()).toBeGreaterThan(clock.now());
  });

  test('a new advertise address re-issues the serving certificate with it', async () => {
    const first = await ensureClusterPKI({ dataDir: dir });
    const second = await ensureClusterPKI({ dataDir: dir, advertiseAddresses: ['198.51.100.4'] });
    expect(second.serving.certPem).not.toBe(first.serving.certPem);
    expect(certificateInfo(second.serving.certPem).ipAddresses).toContain('198.51.100.4');
  });

  test('a replaced CA re-issues the certificates the old one signed', async () => {
    const first = await ensureClusterPKI({ dataDir: dir });
    const admin1 = await first.issueClientCredentials(componentIdentities.admin);
    await unlink(join(dir, 'pki', 'ca.key'));
    const second = await ensureClusterPKI({ dataDir: dir });
    const admin2 = await second.issueClientCredentials(componentIdentities.admin);
    expect(second.ca.certPem).not.toBe(first.ca.certPem);
    expect(second.ca.issued(second.serving.certPem)).toBe(true);
    expect(second.ca.issued(admin2.certPem)).toBe(true);
    expect(admin2.certPem).not.toBe(admin1.certPem);
  });

  test('a corrupt certificate file is replaced, not fatal', async () => {
    await ensureClusterPKI({ dataDir: dir });
    await writeFile(join(dir, 'pki', 'apiserver.crt'), 'garbage');
    const pki = await ensureClusterPKI({ dataDir: dir });
    expect(pki.ca.issued(pki.serving.certPem)).toBe(true);
  });
});
