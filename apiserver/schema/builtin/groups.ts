/**
 * The built-in group/versions whose schemas kuberx derives, with their top-level kinds, and the
 * package prefixes upstream's OpenAPI definitions use (`io.k8s.api.apps.v1.Deployment`).
 *
 * The order matters: a nested type that several groups reach (PodTemplateSpec, ObjectReference)
 * belongs to the first group in this list that reaches it, which is how upstream places them
 * (core first, then meta, then the others).
 */
import type { GroupVersionKind } from '../types.js';

/** One built-in group/version and its top-level kinds (lists included). */
export interface BuiltinGroupVersion {
  group: string;
  version: string;
  kinds: readonly string[];
}

const kindsWithLists = (...kinds: string[]): string[] => kinds.flatMap((k) => [k, `${k}List`]);

/** Built-in group/versions, in the order nested types are attributed to them. */
export const builtinGroupVersions: readonly BuiltinGroupVersion[] = [
  {
    group: '',
    version: 'v1',
    kinds: [
      'Binding',
      ...kindsWithLists(
        'ComponentStatus',
        'ConfigMap',
        'Endpoints',
        'Event',
        'LimitRange',
        'Namespace',
        'Node',
        'PersistentVolume',
        'PersistentVolumeClaim',
        'Pod',
        'PodTemplate',
        'ReplicationController',
        'ResourceQuota',
        'Secret',
        'Service',
        'ServiceAccount',
      ),
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    kinds: kindsWithLists(
      'ControllerRevision',
      'DaemonSet',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
    ),
  },
  { group: 'batch', version: 'v1', kinds: kindsWithLists('CronJob', 'Job') },
  {
    group: 'autoscaling',
    version: 'v1',
    kinds: ['Scale', ...kindsWithLists('HorizontalPodAutoscaler')],
  },
  { group: 'autoscaling', version: 'v2', kinds: kindsWithLists('HorizontalPodAutoscaler') },
  { group: 'coordination.k8s.io', version: 'v1', kinds: kindsWithLists('Lease') },
  { group: 'discovery.k8s.io', version: 'v1', kinds: kindsWithLists('EndpointSlice') },
  { group: 'events.k8s.io', version: 'v1', kinds: kindsWithLists('Event') },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kinds: kindsWithLists('Ingress', 'IngressClass', 'IPAddress', 'NetworkPolicy', 'ServiceCIDR'),
  },
  { group: 'policy', version: 'v1', kinds: ['Eviction', ...kindsWithLists('PodDisruptionBudget')] },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kinds: kindsWithLists('ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'),
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    kinds: kindsWithLists(
      'CSIDriver',
      'CSINode',
      'CSIStorageCapacity',
      'StorageClass',
      'VolumeAttachment',
      'VolumeAttributesClass',
    ),
  },
  { group: 'scheduling.k8s.io', version: 'v1', kinds: kindsWithLists('PriorityClass') },
  { group: 'node.k8s.io', version: 'v1', kinds: kindsWithLists('RuntimeClass') },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kinds: kindsWithLists('CustomResourceDefinition'),
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    kinds: ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    kinds: [
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
      'SubjectAccessReview',
    ],
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kinds: kindsWithLists(
      'MutatingAdmissionPolicy',
      'MutatingAdmissionPolicyBinding',
      'MutatingWebhookConfiguration',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingWebhookConfiguration',
    ),
  },
  {
    group: 'certificates.k8s.io',
    version: 'v1',
    kinds: kindsWithLists('CertificateSigningRequest'),
  },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1',
    kinds: kindsWithLists('FlowSchema', 'PriorityLevelConfiguration'),
  },
];

/**
 * Core types that no core kind references (only other groups do); upstream still defines them in
 * core/v1, so they are placed there before the other groups are walked.
 */
export const extraCoreTypes: readonly string[] = ['TopologySelectorTerm'];

/** The package of `k8s.io/apimachinery/pkg/apis/meta/v1`. */
export const metaPackage = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** meta/v1 types (client-node names them like core types, without a group). */
export const metaKinds: ReadonlySet<string> = new Set([
  'APIGroup',
  'APIGroupList',
  'APIResource',
  'APIResourceList',
  'APIVersions',
  'Condition',
  'DeleteOptions',
  'FieldSelectorRequirement',
  'FieldsV1',
  'GroupResource',
  'GroupVersionForDiscovery',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ListMeta',
  'ManagedFieldsEntry',
  'MicroTime',
  'ObjectMeta',
  'OwnerReference',
  'Patch',
  'Preconditions',
  'ServerAddressByClientCIDR',
  'ShardInfo',
  'Status',
  'StatusCause',
  'StatusDetails',
  'Time',
  'WatchEvent',
]);

/** meta/v1 kinds served in the core group (`x-kubernetes-group-version-kind` with group ""). */
export const metaCoreKinds: readonly string[] = [
  'APIGroup',
  'APIGroupList',
  'APIResourceList',
  'APIVersions',
  'Status',
];

/** meta/v1 kinds that every group/version serves (DeleteOptions in a DELETE body, WatchEvent). */
export const metaPerGroupKinds: readonly string[] = ['DeleteOptions', 'WatchEvent'];

const packageExceptions: Record<string, string> = {
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
};

/** Upstream's definition prefix of a group/version, e.g. `io.k8s.api.apps.v1`. */
export function packageOf(group: string, version: string): string {
  const pkg =
    packageExceptions[group] ?? `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}`;
  return `${pkg}.${version}`;
}

/** Every top-level GVK of the built-in table. */
export function builtinKinds(): GroupVersionKind[] {
  return builtinGroupVersions.flatMap((gv) =>
    gv.kinds.map((kind) => ({ group: gv.group, version: gv.version, kind })),
  );
}
