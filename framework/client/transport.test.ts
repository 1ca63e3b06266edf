/**
 * The transport resolves everything through client-node's KubeConfig: TLS with a CA, client
 * certificates, exec credential plugins and contexts. Certificates come from kuberx's own PKI
 * (apiserver/pki) into a temp dir; the servers listen on free loopback ports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { CertificateAuthority } from '../../apiserver/pki/index.js';
import { ScriptedServer, sendJson } from '../testing/scripted-server.js';
import { loadKubeConfig } from './kubeconfig.js';
import { readBody } from './rest.js';
import { KubeConfigTransport } from './transport.js';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuberx-tls-'));
  const ca = await CertificateAuthority.create({ commonName: 'test-ca' });
  const other = await CertificateAuthority.create({ commonName: 'other-ca' });
  const server = await ca.issue({
    commonName: '127.0.0.1',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
  });
  const client = await ca.issue({
    commonName: 'tester',
    organizations: ['system:masters'],
    usage: 'client',
  });
  writeFileSync(file('ca.crt'), ca.certPem);
  writeFileSync(file('other.crt'), other.certPem);
  writeFileSync(file('server.crt'), server.certPem);
  writeFileSync(file('server.key'), server.keyPem);
  writeFileSync(file('client.crt'), client.certPem);
  writeFileSync(file('client.key'), client.keyPem);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An HTTPS server that requires a client certificate signed by the test CA. */
async function mtlsServer(): Promise<{ url: string; close(): Promise<void> }> {
  const { readFileSync } = await import('node:fs');
  const server = https.createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.crt')),
      ca: readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ cn: peer.subject?.CN, o: peer.subject?.O }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function kubeconfigFile(server: string, user: Record<string, unknown>, ca = 'ca.crt'): string {
  const path = file(`kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority': file(ca) } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return path;
}

async function get(
  transport: KubeConfigTransport,
  path = '/version',
): Promise<{ status: number; body: string }> {
  const res = await transport.request({ method: 'GET', path });
  return { status: res.status, body: await readBody(res.body) };
}

test('TLS with the kubeconfig CA and a client certificate authenticates as the certificate subject', async () => {
  const server = await mtlsServer();
  const kc = loadKubeConfig({
    file: kubeconfigFile(server.url, {
      'client-certificate': file('client.crt'),
      'client-key': file('client.key'),
    }),
  });
  const transport = new KubeConfigTransport(kc);
  try {
    const { status, body } = await get(transport);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ cn: 'tester', o: 'system:masters' });
  } finally {
    transport.close();
    await server.close();
  }
});

test('a server certificate not signed by the kubeconfig CA is refused', async () => {
  const server = await mtlsServer();
  const kc = loadKubeConfig({
    file: kubeconfigFile(
      server.url,
      { 'client-certificate': file('client.crt'), 'client-key': file('client.key') },
      'other.crt',
    ),
  });
  const transport = new KubeConfigTransport(kc);
  try {
    await expect(get(transport)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  } finally {
    transport.close();
    await server.close();
  }
});

test('an exec credential plugin provides the bearer token', async () => {
  const plugin = file('plugin.mjs');
  writeFileSync(
    plugin,
    `process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1beta1',kind:'ExecCredential',status:{token:'from-exec'}}));`,
  );
  const server = await ScriptedServer.start();
  server.on('GET', '/version', (_req, res) => sendJson(res, {}));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }],
    users: [
      {
        name: 'u',
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: process.execPath,
          args: [plugin],
          interactiveMode: 'Never',
        },
      },
    ],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  const transport = new KubeConfigTransport(kc);
  try {
    await get(transport);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer from-exec');
  } finally {
    transport.close();
    await server.stop();
  }
});

test('a context other than the current one can be chosen, and an unknown one is refused', async () => {
  const server = await ScriptedServer.start();
  server.on('GET', '/version', (_req, res) => sendJson(res, {}));
  const path = file('multi');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'dead', cluster: { server: 'http://127.0.0.1:1' } },
        { name: 'live', cluster: { server: server.url } },
      ],
      users: [{ name: 'u', user: { token: 'ctx-token' } }],
      contexts: [
        { name: 'a', context: { cluster: 'dead', user: 'u' } },
        { name: 'b', context: { cluster: 'live', user: 'u' } },
      ],
      'current-context': 'a',
    }),
  );
  const transport = new KubeConfigTransport(loadKubeConfig({ file: path, context: 'b' }));
  try {
    await get(transport);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer ctx-token');
  } finally {
    transport.close();
    await server.stop();
  }
  expect(() => loadKubeConfig({ file: path, context: 'c' })).toThrow(
    'context "c" does not exist in the kubeconfig',
  );
});
