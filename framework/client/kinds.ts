/**
 * Built-in kinds, each a {@link Kind} typed with client-node's model. Pass them to the client,
 * informers and `@Controller({ for, owns })`. Any other kind works through the REST mapper
 * (`{ group, version, kind }`) or `defineKind`.
 */
import type * as k8s from '@kubernetes/client-node';
import { defineKind, type Json } from './types.js';

const core = (kind: string, plural: string, namespaced = true) =>
  ({ group: '', version: 'v1', kind, plural, namespaced }) as const;
const gv = (group: string, version: string, kind: string, plural: string, namespaced = true) =>
  ({ group, version, kind, plural, namespaced }) as const;

export type Pod = Json<k8s.V1Pod>;
export type Service = Json<k8s.V1Service>;
export type ConfigMap = Json<k8s.V1ConfigMap>;
export type Secret = Json<k8s.V1Secret>;
export type Namespace = Json<k8s.V1Namespace>;
export type Node = Json<k8s.V1Node>;
export type ServiceAccount = Json<k8s.V1ServiceAccount>;
export type Endpoints = Json<k8s.V1Endpoints>;
export type CoreEvent = Json<k8s.CoreV1Event>;
export type PersistentVolume = Json<k8s.V1PersistentVolume>;
export type PersistentVolumeClaim = Json<k8s.V1PersistentVolumeClaim>;
export type ReplicationController = Json<k8s.V1ReplicationController>;
export type LimitRange = Json<k8s.V1LimitRange>;
export type ResourceQuota = Json<k8s.V1ResourceQuota>;
export type Deployment = Json<k8s.V1Deployment>;
export type ReplicaSet = Json<k8s.V1ReplicaSet>;
export type StatefulSet = Json<k8s.V1StatefulSet>;
export type DaemonSet = Json<k8s.V1DaemonSet>;
export type ControllerRevision = Json<k8s.V1ControllerRevision>;
export type Job = Json<k8s.V1Job>;
export type CronJob = Json<k8s.V1CronJob>;
export type Lease = Json<k8s.V1Lease>;
export type EndpointSlice = Json<k8s.V1EndpointSlice>;
export type Event = Json<k8s.EventsV1Event>;
export type PodDisruptionBudget = Json<k8s.V1PodDisruptionBudget>;
export type HorizontalPodAutoscaler = Json<k8s.V2HorizontalPodAutoscaler>;
export type CustomResourceDefinition = Json<k8s.V1CustomResourceDefinition>;
export type Role = Json<k8s.V1Role>;
export type RoleBinding = Json<k8s.V1RoleBinding>;
export type ClusterRole = Json<k8s.V1ClusterRole>;
export type ClusterRoleBinding = Json<k8s.V1ClusterRoleBinding>;
export type Ingress = Json<k8s.V1Ingress>;
export type NetworkPolicy = Json<k8s.V1NetworkPolicy>;
export type PriorityClass = Json<k8s.V1PriorityClass>;
export type StorageClass = Json<k8s.V1StorageClass>;

/** The kinds, by name. */
export const kinds = {
  Pod: defineKind<Pod>(core('Pod', 'pods')),
  Service: defineKind<Service>(core('Service', 'services')),
  ConfigMap: defineKind<ConfigMap>(core('ConfigMap', 'configmaps')),
  Secret: defineKind<Secret>(core('Secret', 'secrets')),
  Namespace: defineKind<Namespace>(core('Namespace', 'namespaces', false)),
  Node: defineKind<Node>(core('Node', 'nodes', false)),
  ServiceAccount: defineKind<ServiceAccount>(core('ServiceAccount', 'serviceaccounts')),
  Endpoints: defineKind<Endpoints>(core('Endpoints', 'endpoints')),
  CoreEvent: defineKind<CoreEvent>(core('Event', 'events')),
  PersistentVolume: defineKind<PersistentVolume>(
    core('PersistentVolume', 'persistentvolumes', false),
  ),
  PersistentVolumeClaim: defineKind<PersistentVolumeClaim>(
    core('PersistentVolumeClaim', 'persistentvolumeclaims'),
  ),
  ReplicationController: defineKind<ReplicationController>(
    core('ReplicationController', 'replicationcontrollers'),
  ),
  LimitRange: defineKind<LimitRange>(core('LimitRange', 'limitranges')),
  ResourceQuota: defineKind<ResourceQuota>(core('ResourceQuota', 'resourcequotas')),
  Deployment: defineKind<Deployment>(gv('apps', 'v1', 'Deployment', 'deployments')),
  ReplicaSet: defineKind<ReplicaSet>(gv('apps', 'v1', 'ReplicaSet', 'replicasets')),
  StatefulSet: defineKind<StatefulSet>(gv('apps', 'v1', 'StatefulSet', 'statefulsets')),
  DaemonSet: defineKind<DaemonSet>(gv('apps', 'v1', 'DaemonSet', 'daemonsets')),
  ControllerRevision: defineKind<ControllerRevision>(
    gv('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  ),
  Job: defineKind<Job>(gv('batch', 'v1', 'Job', 'jobs')),
  CronJob: defineKind<CronJob>(gv('batch', 'v1', 'CronJob', 'cronjobs')),
  Lease: defineKind<Lease>(gv('coordination.k8s.io', 'v1', 'Lease', 'leases')),
  EndpointSlice: defineKind<EndpointSlice>(
    gv('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  ),
  Event: defineKind<Event>(gv('events.k8s.io', 'v1', 'Event', 'events')),
  PodDisruptionBudget: defineKind<PodDisruptionBudget>(
    gv('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets'),
  ),
  HorizontalPodAutoscaler: defineKind<HorizontalPodAutoscaler>(
    gv('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  ),
  CustomResourceDefinition: defineKind<CustomResourceDefinition>(
    gv(
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
      'customresourcedefinitions',
      false,
    ),
  ),
  Role: defineKind<Role>(gv('rbac.authorization.k8s.io', 'v1', 'Role', 'roles')),
  RoleBinding: defineKind<RoleBinding>(
    gv('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  ),
  ClusterRole: defineKind<ClusterRole>(
    gv('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  ),
  ClusterRoleBinding: defineKind<ClusterRoleBinding>(
    gv('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  ),
  Ingress: defineKind<Ingress>(gv('networking.k8s.io', 'v1', 'Ingress', 'ingresses')),
  NetworkPolicy: defineKind<NetworkPolicy>(
    gv('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies'),
  ),
  PriorityClass: defineKind<PriorityClass>(
    gv('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false),
  ),
  StorageClass: defineKind<StorageClass>(
    gv('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false),
  ),
} as const;
