/**
 * The catalogue of built-in resource types of the kuberx API server, and the validation helpers
 * (names, labels, selectors, object metadata, quantities) that the core, CRDs and admission reuse.
 *
 * `builtinResourceTypes()` returns a fresh array of every served group/version/resource; the
 * `ResourceType` objects themselves are shared and must not be mutated.
 */
import type { ResourceType } from './types.js';
import { namespaces } from './core/namespaces.js';
import { pods } from './core/pods.js';
import { services } from './core/services.js';
import { nodes } from './core/nodes.js';
import { configMaps, secrets } from './core/configmaps.js';
import { events, eventsV1 } from './core/events.js';
import { deployments } from './apps/deployments.js';
import { replicaSets } from './apps/replicasets.js';
import { leases } from './coordination/leases.js';
import { endpoints, serviceAccounts } from './core/endpoints.js';
import { podTemplates, replicationControllers } from './core/replicationcontrollers.js';
import { limitRanges, resourceQuotas } from './core/quota.js';
import { persistentVolumeClaims, persistentVolumes } from './core/volumes.js';
import { statefulSets } from './apps/statefulsets.js';
import { controllerRevisions, daemonSets } from './apps/daemonsets.js';
import { jobs } from './batch/jobs.js';
import { cronJobs } from './batch/cronjobs.js';
import { endpointSlices } from './discovery/endpointslices.js';
import {
  horizontalPodAutoscalersV1,
  horizontalPodAutoscalersV2,
} from './autoscaling/horizontalpodautoscalers.js';
import { podDisruptionBudgets } from './policy/poddisruptionbudgets.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './rbac/rbac.js';
import { ingressClasses, ingresses } from './networking/ingresses.js';
import { networkPolicies } from './networking/networkpolicies.js';
import { storageClasses } from './storage/storageclasses.js';
import { priorityClasses } from './scheduling/priorityclasses.js';
import { customResourceDefinitions } from './apiextensions/customresourcedefinitions.js';
import {
  selfSubjectReviews,
  selfSubjectReviewsV1beta1,
  tokenReviews,
} from './authentication/reviews.js';
import {
  localSubjectAccessReviews,
  selfSubjectAccessReviews,
  selfSubjectRulesReviews,
  subjectAccessReviews,
} from './authorization/reviews.js';

export type * from './types.js';
export * from './validation/index.js';
export * from './quantity/index.js';
export { humanDuration, shortHumanDuration, translateTimestampSince } from './printers/duration.js';
export { defaultTable } from './printers/columns.js';
export { podStatusCells } from './core/pod-printer.js';
export { podQOSClass } from './core/pods.js';
export * as registryDefaults from './defaults.js';
export { systemPriorityClasses } from './scheduling/priorityclasses.js';
export {
  validateOpenAPISchema,
  validateStructuralSchema,
  type JSONSchemaProps,
} from './apiextensions/structural.js';
export { hpaV1ToV2, hpaV2ToV1 } from './autoscaling/conversion.js';
export { coreEventToEventsV1, eventsV1ToCoreEvent } from './core/events.js';
export { labelMetadataName } from './core/namespaces.js';
export { jobLabels } from './batch/jobs.js';

/** Every built-in resource type, grouped by API group in discovery order. */
export function builtinResourceTypes(): ResourceType[] {
  return [
    // core/v1
    namespaces,
    pods,
    services,
    nodes,
    configMaps,
    secrets,
    events,
    endpoints,
    serviceAccounts,
    replicationControllers,
    podTemplates,
    resourceQuotas,
    limitRanges,
    persistentVolumes,
    persistentVolumeClaims,
    // apps/v1
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    controllerRevisions,
    // batch/v1
    jobs,
    cronJobs,
    // autoscaling/v2 (storage) and v1
    horizontalPodAutoscalersV2,
    horizontalPodAutoscalersV1,
    // policy/v1
    podDisruptionBudgets,
    // rbac.authorization.k8s.io/v1
    roles,
    roleBindings,
    clusterRoles,
    clusterRoleBindings,
    // networking.k8s.io/v1
    ingresses,
    ingressClasses,
    networkPolicies,
    // storage.k8s.io/v1
    storageClasses,
    // scheduling.k8s.io/v1
    priorityClasses,
    // coordination.k8s.io/v1
    leases,
    // discovery.k8s.io/v1
    endpointSlices,
    // events.k8s.io/v1
    eventsV1,
    // apiextensions.k8s.io/v1
    customResourceDefinitions,
    // authentication.k8s.io/v1 (and v1beta1 SelfSubjectReview), authorization.k8s.io/v1: never stored
    ...[tokenReviews, selfSubjectReviews, selfSubjectReviewsV1beta1, subjectAccessReviews],
    ...[selfSubjectAccessReviews, localSubjectAccessReviews, selfSubjectRulesReviews],
  ];
}

/** Looks a built-in type up by group, version and plural resource name. */
export function findResourceType(
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return builtinResourceTypes().find(
    (t) => t.group === group && t.version === version && t.resource === resource,
  );
}
