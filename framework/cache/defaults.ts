/** Cache defaults. */

/** Name of the index every cache keeps: objects by namespace (client-go `NamespaceIndex`). */
export const namespaceIndex = 'namespace';

/** Whether cached objects are deep-frozen. Default true: a controller that wants changes copies. */
export const defaultFreeze = true;
