/**
 * Controller roles (upstream `bootstrappolicy.ControllerRoles()`, `system:controller:<name>`,
 * each bound to the ServiceAccount `kube-system/<name>`), for the controllers kuberx runs, and
 * kuberx's least-privilege role for its controller-manager.
 *
 * kuberx's controller-manager runs every controller under one identity
 * (`system:kube-controller-manager`, upstream's `--use-service-account-credentials=false`). Upstream
 * gives that identity only its bootstrap role; kuberx adds `kuberx:controller-manager`, a
 * ClusterRole aggregated from exactly the controller roles below (label
 * `kuberx.io/aggregate-to-controller-manager`), so the controller-manager holds the union of what
 * its controllers need and nothing more.
 */
import type { KubeObject } from '../../../registry/types.js';
import { kubeControllerManager, nodesGroup } from '../../user.js';
import { clusterBinding, clusterRole, eventsRule, rule } from './build.js';
import type { PolicyRule } from '../../authz/types.js';

export const controllerManagerAggregationLabel = 'kuberx.io/aggregate-to-controller-manager';

const controllerRules: Record<string, PolicyRule[]> = {
  'clusterrole-aggregation-controller': [
    rule(
      ['escalate', 'get', 'list', 'watch', 'update', 'patch'],
      ['rbac.authorization.k8s.io'],
      ['clusterroles'],
    ),
  ],
  'cronjob-controller': [
    rule(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
    rule(['update'], ['batch'], ['cronjobs/status', 'cronjobs/finalizers']),
    rule(['list', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'daemon-set-controller': [
    rule(['get', 'list', 'watch'], ['extensions', 'apps'], ['daemonsets']),
    rule(['update'], ['extensions', 'apps'], ['daemonsets/status', 'daemonsets/finalizers']),
    rule(['list', 'watch'], [''], ['nodes']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    rule(['create'], [''], ['pods/binding']),
    rule(
      ['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'],
      ['apps'],
      ['controllerrevisions'],
    ),
    eventsRule(),
  ],
  'deployment-controller': [
    rule(['get', 'list', 'watch', 'update'], ['extensions', 'apps'], ['deployments']),
    rule(['update'], ['extensions', 'apps'], ['deployments/status', 'deployments/finalizers']),
    rule(
      ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      ['apps', 'extensions'],
      ['replicasets'],
    ),
    rule(['get', 'list', 'watch', 'update'], [''], ['pods']),
    eventsRule(),
  ],
  'disruption-controller': [
    rule(['get', 'list', 'watch'], ['extensions', 'apps'], ['deployments', 'replicasets']),
    rule(['get', 'list', 'watch'], [''], ['replicationcontrollers', 'pods']),
    rule(['get', 'list', 'watch'], ['policy'], ['poddisruptionbudgets']),
    rule(['get', 'list', 'watch'], ['apps'], ['statefulsets']),
    rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(['get'], ['*'], ['*/scale']),
    eventsRule(),
  ],
  'endpoint-controller': [
    rule(['get', 'list', 'watch'], [''], ['services', 'pods']),
    rule(['get', 'list', 'create', 'update', 'delete'], [''], ['endpoints']),
    rule(['create'], [''], ['endpoints/restricted']),
    eventsRule(),
  ],
  'endpointslice-controller': [
    rule(['get', 'list', 'watch'], [''], ['services', 'pods', 'nodes']),
    rule(['update'], [''], ['services/finalizers']),
    rule(['get', 'list', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
    eventsRule(),
  ],
  'generic-garbage-collector': [
    rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']),
    eventsRule(),
  ],
  'horizontal-pod-autoscaler': [
    rule(['get', 'list', 'watch'], ['autoscaling'], ['horizontalpodautoscalers']),
    rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    rule(['get', 'update'], ['*'], ['*/scale']),
    rule(['list'], [''], ['pods']),
    rule(['list'], ['metrics.k8s.io'], ['pods']),
    eventsRule(),
  ],
  'job-controller': [
    rule(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']),
    rule(['update'], ['batch'], ['jobs/status', 'jobs/finalizers']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    eventsRule(),
  ],
  'namespace-controller': [
    rule(['get', 'list', 'watch', 'delete'], [''], ['namespaces']),
    rule(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  'node-controller': [
    rule(['get', 'list', 'update', 'delete', 'patch'], [''], ['nodes']),
    rule(['patch', 'update'], [''], ['nodes/status']),
    rule(['update', 'patch'], [''], ['pods/status']),
    rule(['list', 'delete', 'get'], [''], ['pods']),
    eventsRule(),
  ],
  'pod-garbage-collector': [
    rule(['list', 'watch', 'delete'], [''], ['pods']),
    rule(['get', 'list'], [''], ['nodes']),
    rule(['patch'], [''], ['pods/status']),
  ],
  'replicaset-controller': [
    rule(['get', 'list', 'watch', 'update'], ['apps', 'extensions'], ['replicasets']),
    rule(['update'], ['apps', 'extensions'], ['replicasets/status', 'replicasets/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'replication-controller': [
    rule(['get', 'list', 'watch', 'update'], [''], ['replicationcontrollers']),
    rule(['update'], [''], ['replicationcontrollers/status', 'replicationcontrollers/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
    eventsRule(),
  ],
  'resourcequota-controller': [
    rule(['list', 'watch'], ['*'], ['*']),
    rule(['update'], [''], ['resourcequotas/status']),
    eventsRule(),
  ],
  'service-account-controller': [rule(['create'], [''], ['serviceaccounts']), eventsRule()],
  'statefulset-controller': [
    rule(['list', 'watch'], [''], ['pods']),
    rule(['get', 'list', 'watch'], ['apps'], ['statefulsets']),
    rule(['update'], ['apps'], ['statefulsets/status', 'statefulsets/finalizers']),
    rule(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']),
    rule(
      ['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'],
      ['apps'],
      ['controllerrevisions'],
    ),
    rule(['get', 'create', 'update'], [''], ['persistentvolumeclaims']),
    eventsRule(),
  ],
  'ttl-after-finished-controller': [
    rule(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']),
    eventsRule(),
  ],
  'root-ca-cert-publisher': [rule(['create', 'update'], [''], ['configmaps']), eventsRule()],
};

const prefix = 'system:controller:';

export function controllerRoles(): KubeObject[] {
  return Object.entries(controllerRules).map(([name, rules]) =>
    clusterRole(`${prefix}${name}`, rules, {
      labels: { [controllerManagerAggregationLabel]: 'true' },
    }),
  );
}

export function controllerRoleBindings(): KubeObject[] {
  return Object.keys(controllerRules).map((name) =>
    clusterBinding(`${prefix}${name}`, { serviceAccounts: [['kube-system', name]] }),
  );
}

/** kuberx's own roles: the controller-manager's aggregate, and nodes bound to `system:node`. */
export function kuberxRoles(): KubeObject[] {
  return [
    clusterRole('kuberx:controller-manager', [], {
      aggregateFrom: [{ [controllerManagerAggregationLabel]: 'true' }],
    }),
  ];
}

export function kuberxRoleBindings(): KubeObject[] {
  return [
    clusterBinding('kuberx:controller-manager', { users: [kubeControllerManager] }),
    // kuberx has no Node authorizer: the simulated nodes get system:node through RBAC, and the
    // NodeRestriction admission plugin limits each to its own Node and pods.
    clusterBinding('system:node', { groups: [nodesGroup] }, 'kuberx:nodes'),
  ];
}
