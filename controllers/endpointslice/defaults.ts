/**
 * EndpointSlice and EndpointSlice-mirroring defaults (upstream `pkg/controller/endpointslice`,
 * `pkg/controller/endpointslicemirroring`, `k8s.io/api/discovery/v1`).
 */

/** `--concurrent-service-endpoint-syncs` 5. */
export const defaultEndpointSliceWorkers = 5;

/** `--mirroring-concurrent-service-endpoint-syncs` 5. */
export const defaultMirroringWorkers = 5;

/** `endpointslice.kubernetes.io/managed-by` value of the EndpointSlice controller. */
export const endpointSliceControllerName = 'endpointslice-controller.k8s.io';

/** `endpointslice.kubernetes.io/managed-by` value of the mirroring controller. */
export const mirroringControllerName = 'endpointslicemirroring-controller.k8s.io';

/** `discovery.LabelServiceName`. */
export const labelServiceName = 'kubernetes.io/service-name';

/** `discovery.LabelManagedBy`. */
export const labelManagedBy = 'endpointslice.kubernetes.io/managed-by';

/** `discovery.LabelSkipMirror`: Endpoints carrying `"true"` are not mirrored. */
export const labelSkipMirror = 'endpointslice.kubernetes.io/skip-mirror';

/** `v1.LabelTopologyZone`, read from nodes into `endpoints[].zone`. */
export const labelTopologyZone = 'topology.kubernetes.io/zone';

/**
 * Minimum delay before a sync caused by an EndpointSlice change
 * (`endpointSliceChangeMinSyncDelay` 1 s), batching the watch echoes of the controller's own writes.
 */
export const endpointSliceChangeMinSyncDelayMs = 1000;

/** The `kubectl.kubernetes.io/last-applied-configuration` annotation, never mirrored. */
export const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
