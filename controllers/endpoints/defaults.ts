/** Endpoints controller defaults (upstream `pkg/controller/endpoint`). */

/** `--concurrent-endpoint-syncs` 5. */
export const defaultEndpointWorkers = 5;

/** Addresses (ready plus not ready) an Endpoints object holds at most (`maxCapacity`). */
export const maxCapacity = 1000;

/** `--endpoint-updates-batch-period`: delay of pod-triggered syncs (default 0: none). */
export const defaultEndpointUpdatesBatchPeriodMs = 0;

/** Annotation set while addresses were truncated (`v1.EndpointsOverCapacity`). */
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

/** Its value (`truncated`). */
export const truncated = 'truncated';

/** Annotation with the time of the change that triggered the last write. */
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

/** Label set on the endpoints of a Service without a cluster IP (`v1.IsHeadlessService`). */
export const headlessServiceLabel = 'service.kubernetes.io/headless';

/** Annotation of a leader-election record: such Endpoints are never cleaned up. */
export const leaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader';
