/**
 * What @kubernetes/client-node's generated models do not carry, kept as small project-owned
 * tables: the `x-kubernetes-*` patch and list extensions, map types, unions, and the fields whose
 * type the models flatten (Quantity, RawExtension, FieldsV1, JSON).
 *
 * Keys are `<package>.<version>.<Kind>` where package is the last element of upstream's package
 * (`core`, `apps`, `meta`, `apiextensions`, …). Lists without an entry are atomic for server-side
 * apply and replaced by strategic merge patch — upstream's default for lists without extensions.
 * The facts are upstream's (k8s.io/api struct tags, as published in the 1.36 OpenAPI document).
 */
import type { Schema } from '../types.js';

type Ext = Partial<Schema>;

/** A list merged by `mergeKey` (strategic merge) and keyed by `listKeys` (server-side apply). */
function merge(mergeKey: string, listKeys: string[] = [mergeKey], strategy = 'merge'): Ext {
  return {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': listKeys,
    'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-patch-merge-key': mergeKey,
  };
}
/** A list of scalars treated as a set. */
const set: Ext = { 'x-kubernetes-list-type': 'set' };
/** A set of scalars also merged by strategic merge patch. */
const mergeSet: Ext = { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
/** A list keyed for server-side apply only. */
const mapList = (...keys: string[]): Ext => ({
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
});
/** Atomic for server-side apply, yet merged by key in strategic merge patch. */
const atomicMerge = (mergeKey: string): Ext => ({
  'x-kubernetes-list-type': 'atomic',
  'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-patch-merge-key': mergeKey,
});
const atomicMap: Ext = { 'x-kubernetes-map-type': 'atomic' };
const granularMap: Ext = { 'x-kubernetes-map-type': 'granular' };
const conditions = merge('type');

/** Property-level extensions, by definition. */
export const propertyExtensions: Record<string, Record<string, Ext>> = {
  'apps.v1.DaemonSetStatus': { conditions },
  'apps.v1.DeploymentSpec': { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  'apps.v1.DeploymentStatus': { conditions },
  'apps.v1.ReplicaSetStatus': { conditions },
  'apps.v1.StatefulSetStatus': { conditions },
  'autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions },
  'batch.v1.JobStatus': { conditions: atomicMerge('type') },
  'batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: set },
  'batch.v1.UncountedTerminatedPods': { failed: set, succeeded: set },
  'core.v1.ComponentStatus': { conditions },
  'core.v1.Container': containerLists(),
  // Defaults of list-map keys: server-side apply fills a key an item omits from its default.
  'core.v1.ContainerPort': { protocol: { default: 'TCP' } },
  'core.v1.ContainerRestartRuleOnExitCodes': { values: set },
  'core.v1.ContainerStatus': {
    allocatedResourcesStatus: merge('name'),
    volumeMounts: merge('mountPath'),
  },
  'core.v1.EphemeralContainer': containerLists(),
  'core.v1.NamespaceStatus': { conditions },
  'core.v1.NodeAllocatableResourceClaimStatus': { containers: set },
  'core.v1.NodeSpec': { podCIDRs: mergeSet },
  'core.v1.NodeStatus': { addresses: merge('type'), conditions },
  'core.v1.PersistentVolumeClaimStatus': { allocatedResourceStatuses: granularMap, conditions },
  'core.v1.PersistentVolumeSpec': { claimRef: granularMap },
  'core.v1.PodSpec': {
    containers: merge('name'),
    ephemeralContainers: merge('name'),
    hostAliases: merge('ip'),
    imagePullSecrets: merge('name'),
    initContainers: merge('name'),
    nodeSelector: atomicMap,
    resourceClaims: merge('name', ['name'], 'merge,retainKeys'),
    schedulingGates: merge('name'),
    topologySpreadConstraints: merge('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    volumes: merge('name', ['name'], 'merge,retainKeys'),
  },
  'core.v1.PodStatus': {
    conditions,
    hostIPs: atomicMerge('ip'),
    podIPs: merge('ip'),
    resourceClaimStatuses: merge('name', ['name'], 'merge,retainKeys'),
  },
  'core.v1.ReplicationControllerSpec': { selector: atomicMap },
  'core.v1.ReplicationControllerStatus': { conditions },
  'core.v1.ResourceRequirements': { claims: mapList('name') },
  'core.v1.ResourceStatus': { resources: mapList('resourceID') },
  'core.v1.ServiceAccount': { secrets: merge('name') },
  'core.v1.ServicePort': { protocol: { default: 'TCP' } },
  'core.v1.ServiceSpec': { ports: merge('port', ['port', 'protocol']), selector: atomicMap },
  'core.v1.ServiceStatus': { conditions },
  'discovery.v1.Endpoint': { addresses: set },
  'networking.v1.ServiceCIDRStatus': { conditions },
  'policy.v1.PodDisruptionBudgetSpec': { selector: { 'x-kubernetes-patch-strategy': 'replace' } },
  'policy.v1.PodDisruptionBudgetStatus': { conditions },
  'storage.v1.CSIDriverSpec': { volumeLifecycleModes: set },
  'storage.v1.CSINodeSpec': { drivers: merge('name') },
  'apiextensions.v1.CustomResourceDefinitionStatus': { conditions: mapList('type') },
  'apiextensions.v1.JSONSchemaProps': { 'x-kubernetes-validations': merge('rule') },
  'meta.v1.ObjectMeta': { finalizers: mergeSet, ownerReferences: merge('uid') },
  'admissionregistration.v1.MutatingAdmissionPolicySpec': { matchConditions: merge('name') },
  'admissionregistration.v1.MutatingWebhook': { matchConditions: merge('name') },
  'admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: merge('name') },
  'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': { validationActions: set },
  'admissionregistration.v1.ValidatingAdmissionPolicySpec': {
    matchConditions: merge('name'),
    variables: merge('name'),
  },
  'admissionregistration.v1.ValidatingAdmissionPolicyStatus': { conditions: mapList('type') },
  'admissionregistration.v1.ValidatingWebhook': { matchConditions: merge('name') },
  'admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: merge('name') },
  'certificates.v1.CertificateSigningRequestStatus': { conditions: mapList('type') },
  'flowcontrol.v1.FlowSchemaStatus': { conditions },
  'flowcontrol.v1.NonResourcePolicyRule': { nonResourceURLs: set, verbs: set },
  'flowcontrol.v1.PriorityLevelConfigurationStatus': { conditions },
  'flowcontrol.v1.ResourcePolicyRule': {
    apiGroups: set,
    namespaces: set,
    resources: set,
    verbs: set,
  },
  'node.v1.Scheduling': { nodeSelector: atomicMap },
};

function containerLists(): Record<string, Ext> {
  return {
    env: merge('name'),
    ports: merge('containerPort', ['containerPort', 'protocol']),
    volumeDevices: merge('devicePath'),
    volumeMounts: merge('mountPath'),
  };
}

/** Definitions whose every use is atomic (`x-kubernetes-map-type: atomic` on the type). */
export const atomicTypes: ReadonlySet<string> = new Set([
  'autoscaling.v1.CrossVersionObjectReference',
  'core.v1.ConfigMapKeySelector',
  'core.v1.EndpointAddress',
  'core.v1.EndpointPort',
  'core.v1.FileKeySelector',
  'core.v1.LocalObjectReference',
  'core.v1.NodeSelector',
  'core.v1.NodeSelectorTerm',
  'core.v1.ObjectFieldSelector',
  'core.v1.ObjectReference',
  'core.v1.ResourceFieldSelector',
  'core.v1.ScopeSelector',
  'core.v1.SecretKeySelector',
  'core.v1.SecretReference',
  'core.v1.TopologySelectorTerm',
  'core.v1.TypedLocalObjectReference',
  'discovery.v1.EndpointPort',
  'networking.v1.ServiceBackendPort',
  'rbac.v1.RoleRef',
  'rbac.v1.Subject',
  'meta.v1.LabelSelector',
  'meta.v1.OwnerReference',
  'admissionregistration.v1.MatchResources',
  'admissionregistration.v1.NamedRuleWithOperations',
  'admissionregistration.v1.ParamKind',
  'admissionregistration.v1.ParamRef',
  'admissionregistration.v1.Variable',
]);

/** `x-kubernetes-unions` by definition. */
export const unions: Record<string, Schema['x-kubernetes-unions']> = {
  'core.v1.AppArmorProfile': [
    { discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } },
  ],
  'core.v1.SeccompProfile': [
    { discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } },
  ],
  'core.v1.PodSchedulingGroup': [{ 'fields-to-discriminateBy': { podGroupName: 'PodGroupName' } }],
  'flowcontrol.v1.LimitResponse': [
    { discriminator: 'type', 'fields-to-discriminateBy': { queuing: 'Queuing' } },
  ],
  'flowcontrol.v1.PriorityLevelConfigurationSpec': [
    {
      discriminator: 'type',
      'fields-to-discriminateBy': { exempt: 'Exempt', limited: 'Limited' },
    },
  ],
  'flowcontrol.v1.Subject': [
    {
      discriminator: 'kind',
      'fields-to-discriminateBy': {
        group: 'Group',
        serviceAccount: 'ServiceAccount',
        user: 'User',
      },
    },
  ],
};

/**
 * Fields whose type the models flatten to `string`, a string map or `any`, mapped to the
 * definition they really use (`[]` marks a map whose values use it).
 */
export const flattenedFields: Record<string, Record<string, string>> = {
  'apps.v1.ControllerRevision': { data: 'RawExtension' },
  'autoscaling.v2.HPAScalingRules': { tolerance: 'Quantity' },
  'autoscaling.v2.MetricTarget': { averageValue: 'Quantity', value: 'Quantity' },
  'autoscaling.v2.MetricValueStatus': { averageValue: 'Quantity', value: 'Quantity' },
  'core.v1.ContainerStatus': { allocatedResources: 'Quantity[]' },
  'core.v1.EmptyDirVolumeSource': { sizeLimit: 'Quantity' },
  'core.v1.LimitRangeItem': {
    default: 'Quantity[]',
    defaultRequest: 'Quantity[]',
    max: 'Quantity[]',
    maxLimitRequestRatio: 'Quantity[]',
    min: 'Quantity[]',
  },
  'core.v1.NodeAllocatableResourceClaimStatus': { resources: 'Quantity[]' },
  'core.v1.NodeStatus': { allocatable: 'Quantity[]', capacity: 'Quantity[]' },
  'core.v1.PersistentVolumeClaimStatus': {
    allocatedResources: 'Quantity[]',
    capacity: 'Quantity[]',
  },
  'core.v1.PersistentVolumeSpec': { capacity: 'Quantity[]' },
  'core.v1.PodSpec': { overhead: 'Quantity[]' },
  'core.v1.PodStatus': { allocatedResources: 'Quantity[]' },
  'core.v1.ResourceFieldSelector': { divisor: 'Quantity' },
  'core.v1.ResourceQuotaSpec': { hard: 'Quantity[]' },
  'core.v1.ResourceQuotaStatus': { hard: 'Quantity[]', used: 'Quantity[]' },
  'core.v1.ResourceRequirements': { limits: 'Quantity[]', requests: 'Quantity[]' },
  'core.v1.VolumeResourceRequirements': { limits: 'Quantity[]', requests: 'Quantity[]' },
  'storage.v1.CSIStorageCapacity': { capacity: 'Quantity', maximumVolumeSize: 'Quantity' },
  'node.v1.Overhead': { podFixed: 'Quantity[]' },
  'meta.v1.ManagedFieldsEntry': { fieldsV1: 'FieldsV1' },
  'meta.v1.WatchEvent': { object: 'RawExtension' },
  'apiextensions.v1.CustomResourceSubresources': { status: 'CustomResourceSubresourceStatus' },
  'apiextensions.v1.JSONSchemaProps': {
    additionalItems: 'JSONSchemaPropsOrBool',
    additionalProperties: 'JSONSchemaPropsOrBool',
    default: 'JSON',
    dependencies: 'JSONSchemaPropsOrStringArray[]',
    enum: 'JSON',
    example: 'JSON',
    items: 'JSONSchemaPropsOrArray',
  },
};
