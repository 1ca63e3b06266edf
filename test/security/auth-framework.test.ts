/**
 * The framework's client reaches the secure server exactly as it reaches a real cluster: from the
 * kubeconfig `startSecureTestServer()` writes (TLS, client certificate), with RBAC refusals
 * surfacing as Forbidden `StatusError`s. This is the factory the framework's suites use.
 */
import { startSecureTestServer, type SecureTestServer } from '../../apiserver/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  RestClient,
  isForbidden,
  kinds,
  loadKubeConfig,
} from '../../framework/index.js';

describe('the framework client over TLS with client certificates', () => {
  let env: SecureTestServer;
  const transports: KubeConfigTransport[] = [];

  function client(kubeconfig: string): ApiClient {
    const transport = new KubeConfigTransport(loadKubeConfig({ file: kubeconfig }));
    transports.push(transport);
    return new ApiClient(new RestClient(transport));
  }

  beforeAll(async () => {
    env = await startSecureTestServer();
  });
  afterAll(async () => {
    for (const t of transports) t.close();
    await env?.stop();
  });

  test('the admin kubeconfig creates and reads objects', async () => {
    const admin = client(env.kubeconfigPath);
    await admin.create(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'default' },
        data: { a: '1' },
      },
      { kind: kinds.ConfigMap },
    );
    const cm = await admin.get(kinds.ConfigMap, 'c', { namespace: 'default' });
    expect(cm.data).toEqual({ a: '1' });
  });

  test('a user without permissions gets a Forbidden StatusError', async () => {
    const bob = client((await env.userKubeconfig('bob')).kubeconfigPath);
    const err = await bob
      .get(kinds.ConfigMap, 'c', { namespace: 'default' })
      .catch((e: unknown) => e);
    expect(isForbidden(err)).toBe(true);
    expect((err as Error).message).toBe(
      'configmaps "c" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "default"',
    );
  });
});
