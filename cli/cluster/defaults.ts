/** Defaults of `kuberx up` and the in-process cluster it runs. */

/** `--data-dir`: where the cluster keeps its state (store, PKI, kubeconfigs). */
export const defaultDataDir = '.kuberx';

/** `--port` of the API server (kube-apiserver's secure port). */
export const defaultPort = 6443;

/** `--nodes`: simulated nodes. */
export const defaultNodes = 3;

/** Address the API server listens on. */
export const defaultBindAddress = '127.0.0.1';

/**
 * The bearer tokens of the in-process components (nodes, controller-manager, scheduler), relative
 * to the data dir (0600, next to the rest of the PKI).
 */
export const tokensFile = 'pki/component-tokens.csv';

/**
 * The identity the node simulator's shared informers read with: in `system:nodes`, so the
 * `system:node` role lets it list and watch pods and nodes. It never writes.
 */
export const nodeSimulatorUser = 'system:kuberx:node-simulator';

/** Node counts from which start-up progress is shown. */
export const progressFromNodes = 50;

/** Longest wait for the `default` ServiceAccount before the cluster is declared ready anyway. */
export const serviceAccountWaitMs = 30_000;
