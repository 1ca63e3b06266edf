/**
 * Defaults of the cluster PKI, with kubeadm's values where kubeadm has one and units in the names.
 */

/** A CA is valid this long (kubeadm: 10 years). */
export const caValidityMs = 10 * 365 * 24 * 3600 * 1000;

/** Serving and client certificates are valid this long (kubeadm: 1 year). */
export const certificateValidityMs = 365 * 24 * 3600 * 1000;

/**
 * A certificate whose `notAfter` is closer than this is treated as expired and issued again at the
 * next start (so a cluster started the day before expiry does not break mid-run).
 */
export const renewBeforeMs = 24 * 3600 * 1000;

/** `notBefore` is back-dated this much to tolerate clock skew between hosts (client-go: 5 min). */
export const backdateMs = 5 * 60 * 1000;

/** Key algorithm of every certificate: ECDSA on P-256 with SHA-256 (fast, accepted by Go and Node TLS). */
export const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** RSA size of the ServiceAccount token signing key (kubeadm's `sa.key`: 2048). */
export const serviceAccountKeyBits = 2048;

/** Common name of the cluster CA (kubeadm: `kubernetes`). */
export const caCommonName = 'kubernetes';

/** Common name of the API server's serving certificate (kubeadm: `kube-apiserver`). */
export const servingCommonName = 'kube-apiserver';

/** DNS names of the in-cluster `kubernetes` Service, always in the serving certificate. */
export const serviceDNSNames = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/** File and directory modes: private material is readable by the owner only. */
export const fileMode = 0o600;
export const dirMode = 0o700;

/** Names used in written kubeconfigs (kind-like: cluster `kuberx`, context `kuberx`). */
export const kubeconfigClusterName = 'kuberx';
