/**
 * Kubeconfig files with embedded credentials (`certificate-authority-data`,
 * `client-certificate-data`, `client-key-data`), as `kubeadm` writes `admin.conf`: one cluster,
 * one user, one context, which is current. kubectl, client-node and the framework read them as
 * they read a kind cluster's.
 */
import { stringify } from 'yaml';
import * as defaults from './defaults.js';

export interface KubeconfigOptions {
  /** `https://127.0.0.1:6443`. */
  server: string;
  caPem: string;
  /** The user entry's name (the certificate's CN is what the server uses). */
  userName: string;
  certPem: string;
  keyPem: string;
  /** Default `kuberx`. */
  clusterName?: string;
  /** Default the cluster name. */
  contextName?: string;
}

/** The kubeconfig YAML for one client certificate. */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const cluster = opts.clusterName ?? defaults.kubeconfigClusterName;
  const context = opts.contextName ?? cluster;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caPem) },
      },
    ],
    users: [
      {
        name: opts.userName,
        user: {
          'client-certificate-data': b64(opts.certPem),
          'client-key-data': b64(opts.keyPem),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster, user: opts.userName } }],
    'current-context': context,
    preferences: {},
  });
}
