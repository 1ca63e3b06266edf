/**
 * The cluster PKI: a CA, the API server's serving certificate, client certificates for any
 * user/groups, the ServiceAccount signing key, and kubeconfigs with embedded credentials.
 *
 * ```ts
 * const pki = await ensureClusterPKI({ dataDir: '.kuberx' });
 * // … start the server with pki.serving, then:
 * await pki.writeComponentKubeconfigs('https://127.0.0.1:6443');
 * await pki.issueClientCredentials(nodeIdentity('n1'), { server, kubeconfigPath });
 * ```
 */
export {
  CertificateAuthority,
  certificateInfo,
  type CertificateInfo,
  type CertificatePair,
  type CertificateRequest,
  type CertificateUsage,
} from './ca.js';
export {
  ClusterPKI,
  componentIdentities,
  ensureClusterPKI,
  nodeIdentity,
  type ClientCredentials,
  type ClientIdentity,
  type ClusterPKIOptions,
} from './cluster.js';
export { renderKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export * as pkiDefaults from './defaults.js';
