/**
 * Upstream's bootstrap ClusterRoles and ClusterRoleBindings (`bootstrappolicy.ClusterRoles()` and
 * `ClusterRoleBindings()`, Kubernetes 1.33), restricted to the API groups kuberx serves plus the
 * ones upstream names regardless (extensions, certificates, metrics). `admin`, `edit` and `view`
 * are aggregated from `system:aggregate-to-*`, so they are empty until the aggregation controller
 * has filled them — exactly as upstream.
 */
import type { KubeObject } from '../../../registry/types.js';
import {
  allAuthenticated,
  allUnauthenticated,
  kubeControllerManager,
  kubeScheduler,
  systemPrivilegedGroup,
} from '../../user.js';
import {
  clusterBinding,
  clusterRole,
  eventsRule,
  read,
  readUpdate,
  readWrite,
  role,
  roleBinding,
  rule,
  urls,
  write,
} from './build.js';

const aggregateTo = (r: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${r}`]: 'true' });

/** `NodeRules()`: what a kubelet needs (the NodeRestriction plugin narrows it to its own node). */
export function nodeRules() {
  return [
    rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    rule(
      ['create'],
      ['authorization.k8s.io'],
      ['subjectaccessreviews', 'localsubjectaccessreviews'],
    ),
    rule(read, [''], ['services']),
    rule(['create', 'get', 'list', 'watch'], [''], ['nodes']),
    rule(['update', 'patch'], [''], ['nodes/status']),
    rule(['update', 'patch'], [''], ['nodes']),
    rule(['create', 'update', 'patch'], [''], ['events']),
    rule(read, [''], ['pods']),
    rule(['create', 'delete'], [''], ['pods']),
    rule(['update', 'patch'], [''], ['pods/status']),
    rule(['create'], [''], ['pods/eviction']),
    rule(read, [''], ['secrets', 'configmaps']),
    rule(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['get'], [''], ['endpoints']),
    rule(
      ['create', 'get', 'list', 'watch'],
      ['certificates.k8s.io'],
      ['certificatesigningrequests'],
    ),
    rule(['get', 'create', 'update', 'patch', 'delete'], ['coordination.k8s.io'], ['leases']),
    rule(['get'], ['storage.k8s.io'], ['volumeattachments']),
    rule(['create'], [''], ['serviceaccounts/token']),
    rule(['get', 'update', 'patch'], [''], ['persistentvolumeclaims/status']),
    rule(['get', 'watch', 'list'], ['storage.k8s.io'], ['csidrivers']),
    rule(['get', 'create', 'update', 'patch', 'delete'], ['storage.k8s.io'], ['csinodes']),
    rule(read, ['node.k8s.io'], ['runtimeclasses']),
  ];
}

export function clusterRoles(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urls(
        ['get'],
        [
          '/livez',
          '/readyz',
          '/healthz',
          '/version',
          '/version/',
          '/openapi',
          '/openapi/*',
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
        ],
      ),
    ]),
    clusterRole('system:monitoring', [
      urls(
        ['get'],
        [
          '/metrics',
          '/metrics/slis',
          '/livez',
          '/readyz',
          '/healthz',
          '/livez/*',
          '/readyz/*',
          '/healthz/*',
        ],
      ),
    ]),
    clusterRole('system:basic-user', [
      rule(
        ['create'],
        ['authorization.k8s.io'],
        ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      ),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [
      urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/']),
    ]),
    clusterRole('admin', [], { aggregateFrom: [aggregateTo('admin')] }),
    clusterRole('edit', [], { labels: aggregateTo('admin'), aggregateFrom: [aggregateTo('edit')] }),
    clusterRole('view', [], { labels: aggregateTo('edit'), aggregateFrom: [aggregateTo('view')] }),
    clusterRole(
      'system:aggregate-to-admin',
      [
        rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        rule(readWrite, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']),
      ],
      { labels: aggregateTo('admin') },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        rule(
          read,
          [''],
          [
            'pods/attach',
            'pods/proxy',
            'pods/exec',
            'pods/portforward',
            'secrets',
            'services/proxy',
          ],
        ),
        rule(['impersonate'], [''], ['serviceaccounts']),
        rule(write, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
        rule(['create'], [''], ['pods/eviction']),
        rule(
          write,
          [''],
          [
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'serviceaccounts',
            'services',
            'services/proxy',
            'persistentvolumeclaims',
            'configmaps',
            'secrets',
            'events',
          ],
        ),
        rule(['create'], [''], ['serviceaccounts/token']),
        rule(
          write,
          ['apps'],
          [
            'statefulsets',
            'statefulsets/scale',
            'daemonsets',
            'deployments',
            'deployments/scale',
            'deployments/rollback',
            'replicasets',
            'replicasets/scale',
          ],
        ),
        rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(write, ['batch'], ['jobs', 'cronjobs']),
        rule(
          write,
          ['extensions'],
          [
            'daemonsets',
            'deployments',
            'deployments/scale',
            'deployments/rollback',
            'ingresses',
            'replicasets',
            'replicasets/scale',
            'replicationcontrollers/scale',
            'networkpolicies',
          ],
        ),
        rule(write, ['policy'], ['poddisruptionbudgets']),
        rule(write, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
      ],
      { labels: aggregateTo('edit') },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(
          read,
          [''],
          [
            'pods',
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'serviceaccounts',
            'services',
            'services/status',
            'endpoints',
            'persistentvolumeclaims',
            'persistentvolumeclaims/status',
            'configmaps',
          ],
        ),
        rule(
          read,
          [''],
          [
            'limitranges',
            'resourcequotas',
            'bindings',
            'events',
            'pods/status',
            'resourcequotas/status',
            'namespaces/status',
            'replicationcontrollers/status',
            'pods/log',
          ],
        ),
        rule(read, [''], ['namespaces']),
        rule(read, ['discovery.k8s.io'], ['endpointslices']),
        rule(
          read,
          ['apps'],
          [
            'controllerrevisions',
            'statefulsets',
            'statefulsets/status',
            'statefulsets/scale',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/status',
            'deployments/scale',
            'replicasets',
            'replicasets/status',
            'replicasets/scale',
          ],
        ),
        rule(
          read,
          ['autoscaling'],
          ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
        ),
        rule(read, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
        rule(
          read,
          ['extensions'],
          [
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'ingresses',
            'ingresses/status',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'replicationcontrollers/scale',
            'networkpolicies',
          ],
        ),
        rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(read, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
      ],
      { labels: aggregateTo('view') },
    ),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['services', 'endpoints']),
      rule(read, [''], ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:auth-delegator', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      rule(['create'], [''], ['secrets', 'serviceaccounts']),
      rule(['delete'], [''], ['secrets']),
      rule(['get'], [''], ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
      rule(['update'], [''], ['secrets', 'serviceaccounts']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [''], ['serviceaccounts/token']),
    ]),
    clusterRole('system:kube-scheduler', [
      eventsRule(),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      rule(read, [''], ['nodes']),
      rule(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      rule(['create'], [''], ['pods/binding', 'bindings']),
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(read, [''], ['services', 'replicationcontrollers']),
      rule(read, ['apps', 'extensions'], ['replicasets']),
      rule(read, ['apps'], ['statefulsets']),
      rule(read, ['policy'], ['poddisruptionbudgets']),
      rule(read, [''], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(read, ['storage.k8s.io'], ['csinodes']),
      rule(read, [''], ['namespaces']),
      rule(read, ['storage.k8s.io'], ['csidrivers']),
      rule(read, ['storage.k8s.io'], ['csistoragecapacities']),
    ]),
    clusterRole('system:volume-scheduler', [
      rule(readUpdate, [''], ['persistentvolumes']),
      rule(read, ['storage.k8s.io'], ['storageclasses']),
      rule(readUpdate, [''], ['persistentvolumeclaims']),
    ]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole('system:service-account-issuer-discovery', [
      urls(
        ['get'],
        [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
      ),
    ]),
  ];
}

export function clusterRoleBindings(): KubeObject[] {
  const nodeBinding = clusterBinding('system:node', {});
  return [
    clusterBinding('cluster-admin', { groups: [systemPrivilegedGroup] }),
    clusterBinding('system:monitoring', { groups: ['system:monitoring'] }),
    clusterBinding('system:discovery', { groups: [allAuthenticated] }),
    clusterBinding('system:basic-user', { groups: [allAuthenticated] }),
    clusterBinding('system:public-info-viewer', { groups: [allAuthenticated, allUnauthenticated] }),
    clusterBinding('system:node-proxier', { users: ['system:kube-proxy'] }),
    clusterBinding('system:kube-controller-manager', { users: [kubeControllerManager] }),
    clusterBinding('system:kube-dns', { serviceAccounts: [['kube-system', 'kube-dns']] }),
    clusterBinding('system:kube-scheduler', { users: [kubeScheduler] }),
    clusterBinding('system:volume-scheduler', { users: [kubeScheduler] }),
    // Upstream leaves system:node without subjects (its Node authorizer grants nodes instead).
    nodeBinding,
    clusterBinding('system:service-account-issuer-discovery', {
      groups: ['system:serviceaccounts'],
    }),
  ];
}

/** Upstream `NamespaceRoles()`/`NamespaceRoleBindings()` for kube-system (leader locking). */
export function namespaceRoles(): KubeObject[] {
  return [
    role('extension-apiserver-authentication-reader', 'kube-system', [
      rule(read, [''], ['configmaps'], ['extension-apiserver-authentication']),
    ]),
    role('system::leader-locking-kube-controller-manager', 'kube-system', [
      rule(['watch'], [''], ['configmaps']),
      rule(['get', 'update'], [''], ['configmaps'], ['kube-controller-manager']),
    ]),
    role('system::leader-locking-kube-scheduler', 'kube-system', [
      rule(['watch'], [''], ['configmaps']),
      rule(['get', 'update'], [''], ['configmaps'], ['kube-scheduler']),
    ]),
  ];
}

export function namespaceRoleBindings(): KubeObject[] {
  return [
    roleBinding('system::leader-locking-kube-controller-manager', 'kube-system', {
      users: [kubeControllerManager],
      serviceAccounts: [['kube-system', 'kube-controller-manager']],
    }),
    roleBinding('system::leader-locking-kube-scheduler', 'kube-system', {
      users: [kubeScheduler],
      serviceAccounts: [['kube-system', 'kube-scheduler']],
    }),
  ];
}
