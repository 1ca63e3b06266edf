/**
 * ServiceAccount and root-CA-publisher defaults, with the upstream values they mirror
 * (`pkg/controller/serviceaccount`, `pkg/controller/certificates/rootcacertpublisher`).
 */

/** The accounts every active namespace gets (`DefaultServiceAccountsControllerOptions`). */
export const defaultServiceAccounts: readonly string[] = ['default'];

/** Namespaces are resynced every 5 minutes (`NamespaceResync`). */
export const namespaceResyncMs = 5 * 60 * 1000;

/** Workers of the ServiceAccount controller (upstream runs it with 1). */
export const serviceAccountWorkers = 1;

/** Workers of the root CA publisher (upstream runs it with 1). */
export const rootCAPublisherWorkers = 1;

/** The ConfigMap the root CA publisher writes in every namespace. */
export const rootCAConfigMapName = 'kube-root-ca.crt';

/** Its data key. */
export const rootCAConfigMapKey = 'ca.crt';

/** The `kubernetes.io/description` annotation upstream puts on it. */
export const rootCADescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The annotation key of that description. */
export const descriptionAnnotation = 'kubernetes.io/description';
