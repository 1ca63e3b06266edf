/**
 * One valid example object per built-in resource type, as a user would write it (no defaults,
 * no status), keyed by `<group>/<version>/<resource>`. Used to check that every type of the
 * catalogue can be created, listed and printed through the real server and clients.
 */
import type { KubeObject } from '../types.js';

const podSpec = {
  containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
};
const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
const selector = { matchLabels: { app: 'web' } };
const schema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
};

/** Examples in creation order (namespaces first). Namespaced ones live in `default`. */
export const examples: Record<string, KubeObject> = {
  '/v1/namespaces': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
  '/v1/pods': { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-pod' }, spec: podSpec },
  '/v1/services': {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-svc' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  },
  '/v1/nodes': {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/worker': '' } },
  },
  '/v1/configmaps': {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config' },
    data: { a: '1' },
  },
  '/v1/secrets': {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web-secret' },
    stringData: { password: 'x' },
  },
  '/v1/events': {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-pod.1' },
    involvedObject: { kind: 'Pod', name: 'web-pod', namespace: 'default' },
    reason: 'Scheduled',
    message: 'assigned',
    type: 'Normal',
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:00:00Z',
    count: 1,
  },
  '/v1/endpoints': {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web-ep' },
    subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }],
  },
  '/v1/serviceaccounts': { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web-sa' } },
  '/v1/replicationcontrollers': {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'web-rc' },
    spec: { replicas: 0, template },
  },
  '/v1/podtemplates': {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 'web-tpl' },
    template,
  },
  '/v1/resourcequotas': {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'web-quota' },
    spec: { hard: { pods: '10' } },
  },
  '/v1/limitranges': {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'web-limits' },
    spec: { limits: [{ type: 'Container', max: { cpu: '2' } }] },
  },
  '/v1/persistentvolumes': {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-1' },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: '/data' },
    },
  },
  '/v1/persistentvolumeclaims': {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'web-data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
  'apps/v1/deployments': {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 0, selector, template },
  },
  'apps/v1/replicasets': {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-rs' },
    spec: { replicas: 0, selector, template },
  },
  'apps/v1/statefulsets': {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web-sts' },
    spec: { replicas: 0, serviceName: 'web-svc', selector, template },
  },
  'apps/v1/daemonsets': {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'web-ds' },
    spec: { selector, template },
  },
  'apps/v1/controllerrevisions': {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'web-rev-1' },
    data: { spec: {} },
    revision: 1,
  },
  'batch/v1/jobs': {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi' },
    spec: { suspend: true, template: { spec: { ...podSpec, restartPolicy: 'Never' } } },
  },
  'batch/v1/cronjobs': {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *',
      suspend: true,
      jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } },
    },
  },
  'autoscaling/v2/horizontalpodautoscalers': {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-hpa' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
    },
  },
  'autoscaling/v1/horizontalpodautoscalers': {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-hpa-v1' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 60,
    },
  },
  'policy/v1/poddisruptionbudgets': {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web-pdb' },
    spec: { minAvailable: 1, selector },
  },
  'rbac.authorization.k8s.io/v1/roles': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  },
  'rbac.authorization.k8s.io/v1/rolebindings': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'read-pods' },
    roleRef: { kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'alice' }],
  },
  'rbac.authorization.k8s.io/v1/clusterroles': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'node-reader' },
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
  },
  'rbac.authorization.k8s.io/v1/clusterrolebindings': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'read-nodes' },
    roleRef: { kind: 'ClusterRole', name: 'node-reader' },
    subjects: [{ kind: 'Group', name: 'ops' }],
  },
  'networking.k8s.io/v1/ingresses': {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web-ing' },
    spec: {
      rules: [
        {
          host: 'web.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web-svc', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  },
  'networking.k8s.io/v1/ingressclasses': {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx' },
  },
  'networking.k8s.io/v1/networkpolicies': {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-all' },
    spec: { podSelector: {} },
  },
  'storage.k8s.io/v1/storageclasses': {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local' },
    provisioner: 'kubernetes.io/no-provisioner',
  },
  'scheduling.k8s.io/v1/priorityclasses': {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
  },
  'coordination.k8s.io/v1/leases': {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'leader' },
    spec: { holderIdentity: 'me', leaseDurationSeconds: 15 },
  },
  'discovery.k8s.io/v1/endpointslices': {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'] }],
    ports: [{ port: 80 }],
  },
  'events.k8s.io/v1/events': {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web-pod.2' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    regarding: { kind: 'Pod', name: 'web-pod', namespace: 'default' },
    reason: 'Started',
    action: 'Start',
    note: 'started',
    reportingController: 'example.com/kubelet',
    reportingInstance: 'node-1',
    type: 'Normal',
  },
  'apiextensions.k8s.io/v1/customresourcedefinitions': {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  },
  // Create-only reviews (never stored; answered by apiserver/auth).
  'authentication.k8s.io/v1/tokenreviews': {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token: 'abc' },
  },
  'authentication.k8s.io/v1/selfsubjectreviews': {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  },
  'authentication.k8s.io/v1beta1/selfsubjectreviews': {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kind: 'SelfSubjectReview',
  },
  'authorization.k8s.io/v1/subjectaccessreviews': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: 'bob',
      resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' },
    },
  },
  'authorization.k8s.io/v1/selfsubjectaccessreviews': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { nonResourceAttributes: { verb: 'get', path: '/healthz' } },
  },
  'authorization.k8s.io/v1/localsubjectaccessreviews': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'LocalSubjectAccessReview',
    metadata: { namespace: 'default' },
    spec: {
      user: 'bob',
      resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' },
    },
  },
  'authorization.k8s.io/v1/selfsubjectrulesreviews': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    spec: { namespace: 'default' },
  },
};
