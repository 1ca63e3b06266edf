/**
 * Loading a kubeconfig, as kubectl does: an explicit file, else `KUBECONFIG` (several files
 * merged), else `~/.kube/config`, else the in-cluster service account. A context can be chosen.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export { KubeConfig };

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; default: `KUBECONFIG`, `~/.kube/config`, then in-cluster. */
  file?: string;
  /** Context to use instead of the file's current-context. */
  context?: string;
}

/**
 * Loads a kubeconfig; throws when there is none (client-node alone would silently fall back to
 * `http://localhost:8080`).
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  const env = process.env;
  if (options.file) kc.loadFromFile(options.file);
  else if (env.KUBECONFIG || existsSync(join(env.HOME || homedir(), '.kube', 'config'))) {
    kc.loadFromDefault();
  } else if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else {
    throw new Error(
      'no kubeconfig found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a cluster',
    );
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new Error(`context "${options.context}" does not exist in the kubeconfig`);
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(
      'no cluster in the kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a cluster',
    );
  }
  return kc;
}

/**
 * A kubeconfig for a server URL with an optional bearer token (tests, local servers). For a plain
 * `http://` server it sets `insecure-skip-tls-verify` (there is no TLS to verify), without which
 * @kubernetes/client-node refuses plain HTTP.
 */
export function kubeConfigForServer(server: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'cluster', server, skipTLSVerify: server.startsWith('http://') }],
    users: [{ name: 'user', ...(token ? { token } : {}) }],
    contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
    currentContext: 'context',
  });
  return kc;
}
