/**
 * envtest without binaries: `startTestEnv()` runs kuberx's own API server in this process, on a
 * free loopback port, with an in-memory store, and hands back a kubeconfig (object and file) and
 * clients. It starts in well under a second. CRD manifests (files or folders of YAML) are installed
 * and waited for until their kinds are served.
 *
 * ```ts
 * const env = await startTestEnv({ crds: ['crds/crontab.yaml'] });
 * const manager = env.newManager();
 * …
 * await env.stop();
 * ```
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer, type ApiServer } from '../../apiserver/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { createLogger, type Clock } from '../../common/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  RestClient,
  kubeConfigForServer,
  type CustomResourceDefinition,
  type KubeConfig,
} from '../client/index.js';
import { Manager, type ManagerOptions } from '../manager/index.js';
import { installCRDs } from './crds.js';

export interface TestEnvOptions {
  /** CRD manifests to install: YAML files, or folders of them. */
  crds?: string[];
  /** The API server's clock (timestamps, bookmarks). Default: real. */
  clock?: Clock;
}

export interface TestEnv {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly kubeConfig: KubeConfig;
  /** The kubeconfig written to a temp file (for CLIs and child processes). */
  readonly kubeconfigPath: string;
  /** An uncached client for setting up and checking state. */
  readonly client: ApiClient;
  readonly server: ApiServer;
  /** A manager against this server (metrics server disabled unless set). */
  newManager(options?: Partial<ManagerOptions>): Manager;
  /** Installs more CRDs. */
  installCRDs(paths: string[]): Promise<CustomResourceDefinition[]>;
  /** Stops the server, closes the store and removes the temp dir. */
  stop(): Promise<void>;
}

export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const storage: Storage = await openEmbeddedStorage({ memory: true, clock: options.clock });
  const server = createApiServer({
    storage,
    port: 0,
    clock: options.clock,
    compactionIntervalMs: 0,
    logger: createLogger({ component: 'apiserver', level: 'silent' }),
  });
  const { url } = await server.start();
  const dir = await mkdtemp(join(tmpdir(), 'kuberx-testenv-'));
  const kubeConfig = kubeConfigForServer(url);
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
  const transport = new KubeConfigTransport(kubeConfig);
  const client = new ApiClient(new RestClient(transport));
  const managers: Manager[] = [];
  const env: TestEnv = {
    url,
    kubeConfig,
    kubeconfigPath,
    client,
    server,
    newManager: (opts = {}) => {
      const m = new Manager({ kubeConfig, metricsBindAddress: '0', ...opts });
      managers.push(m);
      return m;
    },
    installCRDs: (paths) => installCRDs(client, paths),
    stop: async () => {
      for (const m of managers) m.stop();
      transport.close();
      await server.stop();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (options.crds?.length) await env.installCRDs(options.crds);
  return env;
}
