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
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createApiServer, type ApiServer } from '../../apiserver/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { createLogger, type Clock } from '../../common/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  RestClient,
  kubeConfigForServer,
  kinds,
  type CustomResourceDefinition,
  type KubeConfig,
} from '../client/index.js';
import { Manager, type ManagerOptions } from '../manager/index.js';
import { resourceTypesForCRD } from './crd-bridge.js';

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

const log = createLogger({ component: 'testenv' });

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
    installCRDs: (paths) => installCRDs(env, paths),
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

async function installCRDs(env: TestEnv, paths: string[]): Promise<CustomResourceDefinition[]> {
  const installed: CustomResourceDefinition[] = [];
  for (const file of await yamlFiles(paths)) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      installed.push(await env.client.create(crd, { kind: kinds.CustomResourceDefinition }));
      await waitUntilServed(env, crd);
    }
  }
  return installed;
}

/**
 * Waits (up to 0.5 s) for the server to serve the CRD's kinds; a server without CRD serving gets
 * them through the bridge (see `crd-bridge.ts`).
 */
async function waitUntilServed(env: TestEnv, crd: CustomResourceDefinition): Promise<void> {
  const versions = crd.spec.versions.filter((v) => v.served);
  const served = () =>
    versions.every((v) =>
      env.server.registry.lookup(crd.spec.group, v.name, crd.spec.names.plural),
    );
  const deadline = Date.now() + 500;
  while (!served() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (served()) return;
  log.warn(
    { crd: crd.metadata?.name },
    'API server does not serve CRDs yet; using the test bridge',
  );
  for (const type of resourceTypesForCRD(crd)) env.server.registry.add(type);
}

async function yamlFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      for (const f of (await readdir(p)).sort()) {
        if (/\.ya?ml$/.test(f)) out.push(join(p, f));
      }
    } else out.push(p);
  }
  return out;
}
