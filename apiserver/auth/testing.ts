/**
 * `startSecureTestServer()`: a TLS API server with the full security stack on a free loopback
 * port, an in-memory store and a temp data dir — for suites (the framework's among them) that
 * must reach the server the way they reach a real cluster, with client certificates.
 *
 * ```ts
 * const env = await startSecureTestServer();
 * // env.kubeconfigPath: admin (system:masters); env.userKubeconfig('bob', ['dev']) for others
 * await env.stop();
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Clock } from '../../common/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import type { ClientCredentials } from '../pki/index.js';
import {
  createSecureApiServer,
  type SecureApiServer,
  type SecureApiServerOptions,
} from './secure.js';

export interface SecureTestServerOptions extends Partial<
  Omit<SecureApiServerOptions, 'storage' | 'dataDir' | 'port'>
> {
  clock?: Clock;
}

export interface SecureTestServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly dataDir: string;
  /** Admin kubeconfig (CN=kuberx-admin, O=system:masters). */
  readonly kubeconfigPath: string;
  readonly secure: SecureApiServer;
  /** The cluster CA (PEM), for clients built by hand. */
  readonly caPem: string;
  /** Client credentials and a kubeconfig (under the data dir) for `user` in `groups`. */
  userKubeconfig(
    user: string,
    groups?: string[],
  ): Promise<ClientCredentials & { kubeconfigPath: string }>;
  /** Stops the server, closes the store and removes the data dir. */
  stop(): Promise<void>;
}

export async function startSecureTestServer(
  opts: SecureTestServerOptions = {},
): Promise<SecureTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kuberx-secure-'));
  const storage: Storage = await openEmbeddedStorage({ memory: true, clock: opts.clock });
  let secure: SecureApiServer | undefined;
  try {
    secure = await createSecureApiServer({
      compactionIntervalMs: 0,
      logger: createLogger({ component: 'apiserver', level: 'silent' }),
      ...opts,
      storage,
      dataDir,
      port: 0,
    });
    const started = await secure.start();
    const s = secure;
    let n = 0;
    return {
      url: started.url,
      dataDir,
      kubeconfigPath: started.kubeconfig!,
      secure: s,
      caPem: s.pki.ca.certPem,
      async userKubeconfig(user, groups = []) {
        const name = `user-${++n}`;
        const creds = await s.issueClientCredentials(
          { name, user, groups },
          join(dataDir, `${name}.kubeconfig`),
        );
        return { ...creds, kubeconfigPath: creds.kubeconfigPath! };
      },
      async stop() {
        await s.stop();
        await storage.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await secure?.stop().catch(() => undefined);
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
