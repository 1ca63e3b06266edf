/** Defaults of server-side apply and managed fields, as upstream's `managedfields` package. */

/** Update managers kept before the oldest are merged into `ancient-changes` buckets. */
export const defaultMaxUpdateManagers = 10;

/** The bucket the oldest update managers are merged into. */
export const ancientChangesManager = 'ancient-changes';

/** The manager that owns an object's fields when it is first applied without managed fields. */
export const beforeFirstApplyManager = 'before-first-apply';

/** The annotation client-side apply keeps; synced by server-side apply for the `kubectl` manager. */
export const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The field manager whose applies upgrade client-side apply ownership (`kubectl apply --server-side`). */
export const kubectlManager = 'kubectl';

/** Longest field manager name (upstream `FieldManagerMaxLength`), in characters. */
export const fieldManagerMaxLength = 128;
