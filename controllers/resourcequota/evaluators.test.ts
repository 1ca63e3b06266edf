import { formatResources } from '../../common/index.js';
import type { PersistentVolumeClaim, Pod, Service } from '../../framework/index.js';
import { podMatchesScope, podUsage, pvcUsage, serviceUsage } from './evaluators.js';

const now = Date.UTC(2026, 0, 1, 12);

function pod(spec: Partial<NonNullable<Pod['spec']>>, extra: Partial<Pod> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', ...extra.metadata },
    spec: { containers: [], ...spec },
    status: { phase: 'Running', ...extra.status },
  };
}
const c = (
  requests?: Record<string, string>,
  limits?: Record<string, string>,
  restartPolicy?: string,
) => ({
  name: 'c',
  resources: { requests, limits },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('pod usage (upstream pods_test.go TestPodEvaluatorUsage)', () => {
  test.each<[string, Pod, Record<string, string>]>([
    [
      'no resources: pods and count/pods only',
      pod({ containers: [c()] }),
      { 'count/pods': '1', pods: '1' },
    ],
    [
      'requests and limits of containers add up',
      pod({
        containers: [
          c({ cpu: '100m', memory: '1Gi' }, { cpu: '1' }),
          c({ cpu: '900m', memory: '512Mi' }, { cpu: '500m' }),
        ],
      }),
      {
        'count/pods': '1',
        pods: '1',
        cpu: '1',
        'requests.cpu': '1',
        'limits.cpu': '1500m',
        memory: '1536Mi',
        'requests.memory': '1536Mi',
      },
    ],
    [
      'an init container larger than the containers raises the total',
      pod({ containers: [c({ cpu: '100m' })], initContainers: [c({ cpu: '2' })] }),
      { 'count/pods': '1', pods: '1', cpu: '2', 'requests.cpu': '2' },
    ],
    [
      'sidecars add to the containers and to later init containers',
      pod({
        containers: [c({ cpu: '100m' })],
        initContainers: [c({ cpu: '200m' }, undefined, 'Always'), c({ cpu: '250m' })],
      }),
      { 'count/pods': '1', pods: '1', cpu: '450m', 'requests.cpu': '450m' },
    ],
    [
      'overhead is added',
      pod({ containers: [c({ cpu: '100m' })], overhead: { cpu: '10m' } }),
      { 'count/pods': '1', pods: '1', cpu: '110m', 'requests.cpu': '110m' },
    ],
    [
      'extended resources and hugepages',
      pod({ containers: [c({ 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' })] }),
      {
        'count/pods': '1',
        pods: '1',
        'requests.example.com/gpu': '2',
        'hugepages-2Mi': '4Mi',
        'requests.hugepages-2Mi': '4Mi',
      },
    ],
    [
      'a terminal pod counts only in count/pods',
      pod({ containers: [c({ cpu: '1' })] }, { status: { phase: 'Succeeded' } }),
      { 'count/pods': '1' },
    ],
    [
      'a pod past its deletion grace period counts only in count/pods',
      pod(
        { containers: [c({ cpu: '1' })] },
        {
          metadata: {
            name: 'p',
            deletionTimestamp: '2026-01-01T11:00:00Z',
            deletionGracePeriodSeconds: 30,
          },
        },
      ),
      { 'count/pods': '1' },
    ],
    [
      'a pod within its deletion grace period still counts',
      pod(
        { containers: [c({ cpu: '1' })] },
        {
          metadata: {
            name: 'p',
            deletionTimestamp: '2026-01-01T11:59:50Z',
            deletionGracePeriodSeconds: 30,
          },
        },
      ),
      { 'count/pods': '1', pods: '1', cpu: '1', 'requests.cpu': '1' },
    ],
  ])('%s', (_n, p, want) => {
    expect(formatResources(podUsage(p, now))).toEqual(
      Object.fromEntries(Object.entries(want).sort()),
    );
  });
});

describe('pod scopes (upstream TestPodEvaluatorMatchingScopes)', () => {
  const bestEffort = pod({ containers: [c()] });
  const burstable = pod({ containers: [c({ cpu: '1' })] });
  const terminating = pod({ containers: [c()], activeDeadlineSeconds: 60 });
  const high = pod({ containers: [c()], priorityClassName: 'high' });
  test.each<[string, string, string | undefined, Pod, boolean]>([
    ['BestEffort', 'Exists', undefined, bestEffort, true],
    ['BestEffort', 'Exists', undefined, burstable, false],
    ['NotBestEffort', 'Exists', undefined, burstable, true],
    ['Terminating', 'Exists', undefined, terminating, true],
    ['Terminating', 'Exists', undefined, bestEffort, false],
    ['NotTerminating', 'Exists', undefined, bestEffort, true],
    ['PriorityClass', 'In', 'high', high, true],
    ['PriorityClass', 'In', 'low', high, false],
    ['PriorityClass', 'NotIn', 'high', high, false],
    ['PriorityClass', 'Exists', undefined, high, true],
    ['PriorityClass', 'DoesNotExist', undefined, bestEffort, true],
  ])('%s %s %s', (scopeName, operator, value, p, want) => {
    expect(podMatchesScope({ scopeName, operator, values: value ? [value] : undefined }, p)).toBe(
      want,
    );
  });
});

test.each<[string, Service['spec'], Record<string, string>]>([
  [
    'ClusterIP',
    { type: 'ClusterIP', ports: [{ port: 80 }] },
    { 'count/services': '1', services: '1' },
  ],
  [
    'NodePort with 2 ports',
    { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] },
    { 'count/services': '1', services: '1', 'services.nodeports': '2' },
  ],
  [
    'LoadBalancer',
    { type: 'LoadBalancer', ports: [{ port: 80 }] },
    {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '1',
      'services.nodeports': '1',
    },
  ],
  [
    'LoadBalancer without node ports',
    { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] },
    {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '1',
      'services.nodeports': '0',
    },
  ],
])('service usage: %s (upstream TestServiceEvaluatorUsage)', (_n, spec, want) => {
  expect(formatResources(serviceUsage({ spec }))).toEqual(
    Object.fromEntries(Object.entries(want).sort()),
  );
});

test('persistentvolumeclaim usage per storage class (upstream TestPersistentVolumeClaimEvaluatorUsage)', () => {
  const pvc: PersistentVolumeClaim = {
    spec: { storageClassName: 'gold', resources: { requests: { storage: '10Gi' } } },
  };
  expect(formatResources(pvcUsage(pvc))).toEqual({
    'count/persistentvolumeclaims': '1',
    'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    'gold.storageclass.storage.k8s.io/requests.storage': '10Gi',
    persistentvolumeclaims: '1',
    'requests.storage': '10Gi',
  });
});
