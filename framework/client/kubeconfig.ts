/**
 * Loading a kubeconfig, as kubectl does: an explicit file, else `KUBECONFIG` (several files
 * merged), else `~/.kube/config`, else the in-cluster service account. A context can be chosen.
 */
import { KubeConfig } from '@kubernetes/client-node';

export { KubeConfig };

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; default: `KUBECONFIG`, `~/.kube/config`, then in-cluster. */
  file?: string;
  /** Context to use instead of the file's current-context. */
  context?: string;
}

/** Loads a kubeconfig; throws when no cluster can be found. */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.file) kc.loadFromFile(options.file);
  else kc.loadFromDefault();
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

/** A kubeconfig for a plain server URL with an optional bearer token (tests, local servers). */
export function kubeConfigForServer(server: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'cluster', server, skipTLSVerify: false }],
    users: [{ name: 'user', ...(token ? { token } : {}) }],
    contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
    currentContext: 'context',
  });
  return kc;
}
