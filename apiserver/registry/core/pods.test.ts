import { pods } from './pods.js';
import { create, update, updateStatus } from '../testing/harness.js';

const pod = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', ...meta },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec },
});

describe('pods: defaulting (pkg/apis/core/v1/defaults.go)', () => {
  test('a minimal pod gets upstream defaults', () => {
    const { obj, errors } = create(pods, pod());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      containers: [
        {
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
    });
  });

  test.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry:5000/nginx', 'Always'],
    ['registry:5000/nginx:1', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ])('image %s defaults imagePullPolicy to %s', (image, policy) => {
    const { obj } = create(pods, pod({ containers: [{ name: 'c', image }] }));
    expect((obj.spec as any).containers[0].imagePullPolicy).toBe(policy);
  });

  test('ports default to TCP, probes get their thresholds and requests default to limits', () => {
    const { obj } = create(
      pods,
      pod({
        containers: [
          {
            name: 'c',
            image: 'x:1',
            ports: [{ containerPort: 80 }],
            livenessProbe: { httpGet: { port: 80 } },
            resources: { limits: { cpu: '1', memory: '1Gi' } },
          },
        ],
      }),
    );
    const c = (obj.spec as any).containers[0];
    expect(c.ports[0].protocol).toBe('TCP');
    expect(c.livenessProbe).toMatchObject({
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      httpGet: { path: '/', scheme: 'HTTP' },
    });
    expect(c.resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
  });

  test('volumes without a source become emptyDir; secret volumes get mode 0644', () => {
    const { obj } = create(
      pods,
      pod({ volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }] }),
    );
    expect((obj.spec as any).volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
    ]);
  });
});

describe('pods: create strategy', () => {
  test('status is reset to Pending with the QoS class, generation is 1', () => {
    const { obj } = create(pods, { ...pod(), status: { phase: 'Running', podIP: '1.2.3.4' } });
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(obj.metadata!.generation).toBe(1);
  });

  test.each([
    ['BestEffort', {}],
    ['Guaranteed', { limits: { cpu: '1', memory: '1Gi' } }],
    ['Burstable', { requests: { cpu: '100m' } }],
    [
      'Burstable',
      { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    ],
  ])('QoS class is %s for resources %j', (qos, resources) => {
    const { obj } = create(pods, pod({ containers: [{ name: 'c', image: 'x:1', resources }] }));
    expect((obj.status as any).qosClass).toBe(qos);
  });
});

describe('pods: validation (pkg/apis/core/validation)', () => {
  test.each([
    ['containers are required', { containers: [] }, 'spec.containers: Required value'],
    [
      'a container needs an image',
      { containers: [{ name: 'c' }] },
      'spec.containers[0].image: Required value',
    ],
    [
      'container names are DNS labels',
      { containers: [{ name: 'C_1', image: 'x' }] },
      "spec.containers[0].name: Invalid value: \"C_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ],
    [
      'container names are unique',
      {
        containers: [
          { name: 'c', image: 'x' },
          { name: 'c', image: 'y' },
        ],
      },
      'spec.containers[1].name: Duplicate value: "c"',
    ],
    [
      'restartPolicy is an enum',
      { restartPolicy: 'Sometimes' },
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [
      'dnsPolicy is an enum',
      { dnsPolicy: 'Google' },
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
    [
      'imagePullPolicy is an enum',
      { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Sometimes' }] },
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ],
    [
      'ports need a valid number',
      { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] },
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'port protocols are an enum',
      { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, protocol: 'ICMP' }] }] },
      'spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'volume mounts refer to a volume',
      {
        containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }],
      },
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ],
    [
      'requests may not exceed limits',
      {
        containers: [
          { name: 'c', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } },
        ],
      },
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ],
    [
      'quantities must parse',
      { containers: [{ name: 'c', image: 'x', resources: { limits: { memory: '1GB' } } }] },
      'spec.containers[0].resources.limits[memory]: Invalid value: "1GB": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    ],
    [
      'activeDeadlineSeconds is positive',
      { activeDeadlineSeconds: 0 },
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ],
    [
      'an empty toleration key needs Exists',
      { tolerations: [{ operator: 'Equal', value: 'x' }] },
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
    [
      'dnsPolicy None needs dnsConfig',
      { dnsPolicy: 'None' },
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ],
    [
      'volume names are unique',
      {
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
        ],
      },
      'spec.volumes[1].name: Duplicate value: "v"',
    ],
  ])('%s', (_rule, spec, message) => {
    expect(create(pods, pod(spec)).errors).toContain(message);
  });

  test('an invalid name is rejected with the subdomain message', () => {
    expect(create(pods, pod({}, { name: 'Web' })).errors[0]).toMatch(
      /^metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/,
    );
  });
});

describe('pods: updates', () => {
  const stored = () => {
    const { obj } = create(pods, pod());
    obj.metadata!.resourceVersion = '5';
    obj.status = { phase: 'Running' };
    return obj;
  };

  test('only the image may change: another spec change is Forbidden with upstream wording', () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as any).containers[0].ports = [{ containerPort: 80 }];
    const { errors } = update(pods, next, old);
    expect(errors[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
  });

  test('an image change is allowed, keeps status and bumps generation', () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as any).containers[0].image = 'nginx:1.26';
    next.status = { phase: 'Failed' };
    const { obj, errors } = update(pods, next, old);
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({ phase: 'Running' });
    expect(obj.metadata!.generation).toBe(2);
  });

  test('a label change does not bump generation', () => {
    const old = stored();
    const next = structuredClone(old);
    next.metadata!.labels = { a: 'b' };
    expect(update(pods, next, old).obj.metadata!.generation).toBe(1);
  });

  test('adding a toleration is allowed; removing one is not', () => {
    const old = stored();
    (old.spec as any).tolerations = [{ key: 'a', operator: 'Exists' }];
    const added = structuredClone(old);
    (added.spec as any).tolerations.push({ key: 'b', operator: 'Exists' });
    expect(update(pods, added, old).errors).toEqual([]);
    const removed = structuredClone(old);
    (removed.spec as any).tolerations = [];
    expect(update(pods, removed, old).errors[0]).toMatch(/^spec: Forbidden/);
  });

  test('a status update keeps spec and ownerReferences and never bumps generation', () => {
    const old = stored();
    old.metadata!.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' },
    ];
    const next = structuredClone(old);
    (next.spec as any).nodeName = 'elsewhere';
    next.metadata!.ownerReferences = [];
    next.status = { phase: 'Succeeded' };
    const { obj, errors } = updateStatus(pods, next, old);
    expect(errors).toEqual([]);
    expect((obj.spec as any).nodeName).toBeUndefined();
    expect(obj.metadata!.ownerReferences).toHaveLength(1);
    expect(obj.status).toEqual({ phase: 'Succeeded' });
    expect(obj.metadata!.generation).toBe(1);
  });

  test.each([
    [
      'Never',
      0,
      [
        'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
      ],
    ],
    [
      'OnFailure',
      0,
      [
        'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
      ],
    ],
    ['OnFailure', 1, []],
    ['Always', 0, []],
  ])(
    'restartPolicy %s: a container terminated with exit code %d going back to running gives %j',
    (restartPolicy, exitCode, errors) => {
      const old = stored();
      (old.spec as any).restartPolicy = restartPolicy;
      old.status = {
        phase: 'Running',
        qosClass: 'BestEffort',
        containerStatuses: [{ name: 'c', state: { terminated: { exitCode } } }],
      };
      const next = {
        ...structuredClone(old),
        status: {
          phase: 'Running',
          qosClass: 'BestEffort',
          containerStatuses: [{ name: 'c', state: { running: {} } }],
        },
      };
      expect(updateStatus(pods, next, old).errors).toEqual(errors);
    },
  );

  test('the QoS class is immutable and pod IPs must be IPs', () => {
    const old = stored();
    old.status = { phase: 'Running', qosClass: 'BestEffort' };
    const next = {
      ...structuredClone(old),
      status: { phase: 'Running', qosClass: 'Guaranteed', podIPs: [{ ip: 'nope' }] },
    };
    expect(updateStatus(pods, next, old).errors).toEqual([
      'status.qosClass: Invalid value: "Guaranteed": field is immutable',
      'status.podIPs[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe('pods: field selectors', () => {
  test('upstream PodToSelectableFields', () => {
    const { obj } = create(pods, pod({ nodeName: 'n1', serviceAccountName: 'sa' }));
    obj.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], nominatedNodeName: 'n2' };
    expect(pods.fieldLabels!(obj)).toEqual({
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'sa',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': 'n2',
    });
  });
});

describe('pods: scheduling gates and status bookkeeping (pkg/registry/core/pod/strategy.go)', () => {
  test('a pod created with scheduling gates gets PodScheduled=False/SchedulingGated', () => {
    const { obj } = create(pods, pod({ schedulingGates: [{ name: 'example.com/wait' }] }));
    expect((obj.status as any).conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: '2024-01-01T00:00:00Z',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ]);
  });

  test('a status write without qosClass or observedGeneration keeps the stored ones', () => {
    const { obj: old } = create(pods, pod());
    (old.status as any).observedGeneration = 1;
    (old.status as any).conditions = [{ type: 'Ready', status: 'False', observedGeneration: 1 }];
    const next = {
      ...structuredClone(old),
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const { obj } = updateStatus(pods, next, old);
    expect(obj.status).toEqual({
      phase: 'Running',
      qosClass: 'BestEffort',
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1 }],
    });
  });
});
