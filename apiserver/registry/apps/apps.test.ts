import { deployments } from './deployments.js';
import { replicaSets } from './replicasets.js';
import { create, podTemplate, row, update, updateStatus } from '../testing/harness.js';

const deploy = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec },
});

describe('deployments: defaults (SetDefaults_Deployment)', () => {
  test('replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, pod template defaults', () => {
    const { obj, errors } = create(deployments, deploy());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      replicas: 1,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        spec: {
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          containers: [{ imagePullPolicy: 'IfNotPresent' }],
        },
      },
    });
  });

  test('pod-only defaults (requests from limits, enableServiceLinks) are not applied to templates', () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1' } } }] },
    };
    const { obj } = create(deployments, deploy({ template }));
    const podSpec = (obj.spec as any).template.spec;
    expect(podSpec.containers[0].resources).toEqual({ limits: { cpu: '1' } });
    expect(podSpec.enableServiceLinks).toBeUndefined();
  });

  test('Recreate gets no rollingUpdate block', () => {
    const { obj } = create(deployments, deploy({ strategy: { type: 'Recreate' } }));
    expect((obj.spec as any).strategy).toEqual({ type: 'Recreate' });
  });

  test('create drops status and sets generation 1', () => {
    const { obj } = create(deployments, { ...deploy(), status: { replicas: 5 } });
    expect(obj.status).toEqual({});
    expect(obj.metadata!.generation).toBe(1);
  });
});

describe('deployments: validation (pkg/apis/apps/validation)', () => {
  test.each([
    ['the selector is required', deploy({ selector: undefined }), 'spec.selector: Required value'],
    [
      'an empty selector is invalid',
      deploy({ selector: {} }),
      'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    ],
    [
      'the selector must match the template labels',
      deploy({ selector: { matchLabels: { app: 'db' } } }),
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ],
    [
      'replicas are non-negative',
      deploy({ replicas: -1 }),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'restartPolicy must be Always',
      deploy({
        template: {
          ...podTemplate(),
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] },
        },
      }),
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
    [
      'maxUnavailable and maxSurge cannot both be 0',
      deploy({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
      }),
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ],
    [
      'maxUnavailable ≤ 100%',
      deploy({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%', maxSurge: 1 } },
      }),
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ],
    [
      'percentages must be well formed',
      deploy({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'half', maxSurge: 1 } },
      }),
      "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"half\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ],
    [
      'Recreate forbids rollingUpdate',
      deploy({ strategy: { type: 'Recreate', rollingUpdate: {} } }),
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ],
    [
      'progressDeadlineSeconds > minReadySeconds',
      deploy({ progressDeadlineSeconds: 10, minReadySeconds: 10 }),
      'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
    ],
    [
      'activeDeadlineSeconds is not supported in templates',
      deploy({
        template: {
          ...podTemplate(),
          spec: { activeDeadlineSeconds: 5, containers: [{ name: 'c', image: 'x' }] },
        },
      }),
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(deployments, input).errors).toContain(message);
  });
});

describe('deployments: updates', () => {
  const stored = () => {
    const { obj } = create(deployments, deploy());
    obj.status = { replicas: 1, readyReplicas: 1 };
    return obj;
  };

  test('the selector is immutable in apps/v1', () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as any).selector = { matchLabels: { app: 'web', v: '2' } };
    (next.spec as any).template.metadata.labels.v = '2';
    expect(update(deployments, next, old).errors).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    ]);
  });

  test.each([
    ['a spec change bumps generation', (o: any) => (o.spec.replicas = 3), 2],
    [
      'an annotation change bumps generation (copied to ReplicaSets upstream)',
      (o: any) => (o.metadata.annotations = { a: 'b' }),
      2,
    ],
    ['a label change does not', (o: any) => (o.metadata.labels = { a: 'b' }), 1],
  ])('%s', (_rule, mutate, generation) => {
    const old = stored();
    const next = structuredClone(old);
    mutate(next);
    expect(update(deployments, next, old).obj.metadata!.generation).toBe(generation);
  });

  test('the main resource ignores status; /status ignores spec and labels', () => {
    const old = stored();
    const viaMain = update(
      deployments,
      { ...structuredClone(old), status: { replicas: 9 } },
      old,
    ).obj;
    expect(viaMain.status).toEqual({ replicas: 1, readyReplicas: 1 });
    const next = structuredClone(old);
    (next.spec as any).replicas = 7;
    next.metadata!.labels = { x: 'y' };
    next.status = { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 };
    const viaStatus = updateStatus(deployments, next, old);
    expect(viaStatus.errors).toEqual([]);
    expect((viaStatus.obj.spec as any).replicas).toBe(1);
    expect(viaStatus.obj.metadata!.labels).toBeUndefined();
    expect(viaStatus.obj.status).toMatchObject({ replicas: 2 });
    expect(viaStatus.obj.metadata!.generation).toBe(1);
  });

  test('status counters cannot exceed status.replicas', () => {
    const old = stored();
    const { errors } = updateStatus(
      deployments,
      { ...structuredClone(old), status: { replicas: 1, readyReplicas: 2, availableReplicas: 2 } },
      old,
    );
    expect(errors).toEqual([
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ]);
  });

  test('discovery metadata: short name deploy, category all, scale mapping', () => {
    expect(deployments.shortNames).toEqual(['deploy']);
    expect(deployments.categories).toEqual(['all']);
    expect(deployments.subresources).toEqual(['status', 'scale']);
    expect(deployments.scale).toEqual({
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.spec.selector',
    });
  });

  test('the table is NAME READY UP-TO-DATE AVAILABLE AGE (+ CONTAINERS IMAGES SELECTOR)', () => {
    const d = {
      ...stored(),
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    (d as any).spec.replicas = 3;
    expect(row(deployments, d)).toEqual({
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '60m',
      Containers: 'c',
      Images: 'nginx:1.25',
      Selector: 'app=web',
    });
  });
});

describe('replicasets', () => {
  const rs = () => ({
    metadata: { name: 'web-1' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
  });

  test('replicas default to 1 and status.replicas is selectable', () => {
    const { obj, errors } = create(replicaSets, rs());
    expect(errors).toEqual([]);
    expect((obj.spec as any).replicas).toBe(1);
    expect(replicaSets.fieldLabels!(obj)['status.replicas']).toBe('0');
  });

  test('the empty-selector message is upstream (it says deployment)', () => {
    expect(create(replicaSets, { ...rs(), spec: { ...rs().spec, selector: {} } }).errors).toContain(
      'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    );
  });

  test('the table is NAME DESIRED CURRENT READY AGE', () => {
    const { obj } = create(replicaSets, rs());
    obj.status = { replicas: 1, readyReplicas: 0 };
    expect(row(replicaSets, obj)).toMatchObject({
      Name: 'web-1',
      Desired: 1,
      Current: 1,
      Ready: 0,
      Age: '60m',
      Selector: 'app=web',
    });
  });
});
