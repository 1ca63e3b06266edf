/**
 * Built-in kinds. Each name is both a type (the JSON shape of its objects, from client-node's
 * model) and a value (its {@link Kind}), so `Deployment` works in `owns: [Deployment]` and in
 * `const d: Deployment = …`. Pass them to the client, informers and `@Controller`. Any other kind
 * works through the REST mapper (`{ group, version, kind }`) or `defineKind`.
 */
import type * as k8s from '@kubernetes/client-node';
import { defineKind, type Json } from './types.js';

export type Pod = Json<k8s.V1Pod>;
export const Pod = defineKind<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
});

export type Service = Json<k8s.V1Service>;
export const Service = defineKind<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
});

export type ConfigMap = Json<k8s.V1ConfigMap>;
export const ConfigMap = defineKind<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
});

export type Secret = Json<k8s.V1Secret>;
export const Secret = defineKind<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
});

export type Namespace = Json<k8s.V1Namespace>;
export const Namespace = defineKind<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
});

export type Node = Json<k8s.V1Node>;
export const Node = defineKind<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
});

export type ServiceAccount = Json<k8s.V1ServiceAccount>;
export const ServiceAccount = defineKind<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
});

export type Endpoints = Json<k8s.V1Endpoints>;
export const Endpoints = defineKind<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  namespaced: true,
});

export type CoreEvent = Json<k8s.CoreV1Event>;
export const CoreEvent = defineKind<CoreEvent>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});

export type PersistentVolume = Json<k8s.V1PersistentVolume>;
export const PersistentVolume = defineKind<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  namespaced: false,
});

export type PersistentVolumeClaim = Json<k8s.V1PersistentVolumeClaim>;
export const PersistentVolumeClaim = defineKind<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  namespaced: true,
});

export type ReplicationController = Json<k8s.V1ReplicationController>;
export const ReplicationController = defineKind<ReplicationController>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  namespaced: true,
});

export type LimitRange = Json<k8s.V1LimitRange>;
export const LimitRange = defineKind<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  namespaced: true,
});

export type ResourceQuota = Json<k8s.V1ResourceQuota>;
export const ResourceQuota = defineKind<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  namespaced: true,
});

export type Deployment = Json<k8s.V1Deployment>;
export const Deployment = defineKind<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});

export type ReplicaSet = Json<k8s.V1ReplicaSet>;
export const ReplicaSet = defineKind<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  namespaced: true,
});

export type StatefulSet = Json<k8s.V1StatefulSet>;
export const StatefulSet = defineKind<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  namespaced: true,
});

export type DaemonSet = Json<k8s.V1DaemonSet>;
export const DaemonSet = defineKind<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  namespaced: true,
});

export type ControllerRevision = Json<k8s.V1ControllerRevision>;
export const ControllerRevision = defineKind<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  namespaced: true,
});

export type Job = Json<k8s.V1Job>;
export const Job = defineKind<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  namespaced: true,
});

export type CronJob = Json<k8s.V1CronJob>;
export const CronJob = defineKind<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  namespaced: true,
});

export type Lease = Json<k8s.V1Lease>;
export const Lease = defineKind<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
});

export type EndpointSlice = Json<k8s.V1EndpointSlice>;
export const EndpointSlice = defineKind<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
});

export type Event = Json<k8s.EventsV1Event>;
export const Event = defineKind<Event>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});

export type PodDisruptionBudget = Json<k8s.V1PodDisruptionBudget>;
export const PodDisruptionBudget = defineKind<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  namespaced: true,
});

export type HorizontalPodAutoscaler = Json<k8s.V2HorizontalPodAutoscaler>;
export const HorizontalPodAutoscaler = defineKind<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
});

export type CustomResourceDefinition = Json<k8s.V1CustomResourceDefinition>;
export const CustomResourceDefinition = defineKind<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
});

export type Role = Json<k8s.V1Role>;
export const Role = defineKind<Role>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
});

export type RoleBinding = Json<k8s.V1RoleBinding>;
export const RoleBinding = defineKind<RoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
});

export type ClusterRole = Json<k8s.V1ClusterRole>;
export const ClusterRole = defineKind<ClusterRole>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
});

export type ClusterRoleBinding = Json<k8s.V1ClusterRoleBinding>;
export const ClusterRoleBinding = defineKind<ClusterRoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
});

export type Ingress = Json<k8s.V1Ingress>;
export const Ingress = defineKind<Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  namespaced: true,
});

export type NetworkPolicy = Json<k8s.V1NetworkPolicy>;
export const NetworkPolicy = defineKind<NetworkPolicy>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  namespaced: true,
});

export type PriorityClass = Json<k8s.V1PriorityClass>;
export const PriorityClass = defineKind<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  namespaced: false,
});

export type StorageClass = Json<k8s.V1StorageClass>;
export const StorageClass = defineKind<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  namespaced: false,
});

/** The built-in kinds, by name. */
export const kinds = {
  Pod,
  Service,
  ConfigMap,
  Secret,
  Namespace,
  Node,
  ServiceAccount,
  Endpoints,
  CoreEvent,
  PersistentVolume,
  PersistentVolumeClaim,
  ReplicationController,
  LimitRange,
  ResourceQuota,
  Deployment,
  ReplicaSet,
  StatefulSet,
  DaemonSet,
  ControllerRevision,
  Job,
  CronJob,
  Lease,
  EndpointSlice,
  Event,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  CustomResourceDefinition,
  Role,
  RoleBinding,
  ClusterRole,
  ClusterRoleBinding,
  Ingress,
  NetworkPolicy,
  PriorityClass,
  StorageClass,
} as const;
