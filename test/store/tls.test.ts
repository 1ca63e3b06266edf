/**
 * `kuberx etcd` over TLS with client-certificate authentication (etcd's `--cert-file`,
 * `--key-file`, `--trusted-ca-file`, `--client-cert-auth`): etcdctl and the etcd3-based Storage
 * connect with a client certificate signed by the trusted CA and are refused without one, or with
 * one the CA did not sign. Certificates are made by openssl in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEtcd } from '../../store/index.js';
import { openEtcdStorage, startEtcd } from '../../store/index.js';
import { describeWithTools, etcdctl, etcdctlBin } from './processes.js';
import { bytes, text } from './storage-contract.js';

const openssl = '/usr/bin/openssl';

function makeCerts(dir: string): void {
  const run = (...args: string[]): void => {
    execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  };
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  const certs: [string, string, boolean][] = [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth', true],
    ['client', 'extendedKeyUsage=clientAuth', true],
    ['rogue', 'extendedKeyUsage=clientAuth', false],
  ];
  for (const [name, ext, signedByCa] of certs) {
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    const signer = signedByCa
      ? ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial']
      : ['-signkey', `${name}.key`];
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      ...signer,
      '-days',
      '1',
      '-out',
      `${name}.crt`,
      '-extfile',
      `${name}.ext`,
    );
  }
}

describeWithTools([openssl, etcdctlBin], 'kuberx etcd with TLS and client-certificate auth', () => {
  let dir: string;
  let etcd: RunningEtcd;
  const f = (name: string): string => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kuberx-tls-'));
    makeCerts(dir);
    etcd = await startEtcd({
      memory: true,
      listenClientUrls: ['https://127.0.0.1:0'],
      tls: {
        certFile: f('server.crt'),
        keyFile: f('server.key'),
        trustedCaFile: f('ca.crt'),
        clientCertAuth: true,
      },
    });
  }, 30_000);

  afterAll(async () => {
    await etcd?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostPort = (): string => etcd.urls[0]!.replace('https://', '');

  test('serves https on the URL it reports', () => {
    expect(etcd.urls[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('etcdctl with a CA-signed client certificate can write and read', async () => {
    const tls = ['--cacert', f('ca.crt'), '--cert', f('client.crt'), '--key', f('client.key')];
    expect((await etcdctl(hostPort(), [...tls, 'put', 'secure', 'yes'])).stdout).toBe('OK\n');
    expect(
      (await etcdctl(hostPort(), [...tls, 'get', 'secure', '--print-value-only'])).stdout,
    ).toBe('yes\n');
  });

  test.each([
    ['without a client certificate', [] as string[]],
    ['with a certificate the CA did not sign', ['--cert', 'rogue.crt', '--key', 'rogue.key']],
  ])(
    'etcdctl %s is refused',
    async (_case, certArgs) => {
      const files = certArgs.map((a) => (a.startsWith('--') ? a : f(a)));
      const r = await etcdctl(hostPort(), [
        '--cacert',
        f('ca.crt'),
        ...files,
        '--dial-timeout',
        '1s',
        '--command-timeout',
        '2s',
        'get',
        'secure',
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain('yes');
    },
    15_000,
  );

  test('openEtcdStorage connects with the CA and a client certificate', async () => {
    const storage = await openEtcdStorage({
      endpoints: etcd.urls,
      tls: { caFile: f('ca.crt'), certFile: f('client.crt'), keyFile: f('client.key') },
    });
    try {
      await storage.create('/tls/key', bytes('over tls'));
      expect(text((await storage.get('/tls/key')).kv?.value)).toBe('over tls');
    } finally {
      await storage.close();
    }
  });
});
