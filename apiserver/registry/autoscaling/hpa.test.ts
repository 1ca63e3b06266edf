import {
  horizontalPodAutoscalersV1,
  horizontalPodAutoscalersV2,
} from './horizontalpodautoscalers.js';
import { hpaAnnotations, hpaV1ToV2, hpaV2ToV1 } from './conversion.js';
import { create, row } from '../testing/harness.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('horizontalpodautoscalers v2 (storage) and v1', () => {
  test('v2 defaults minReplicas 1 and a CPU 80% metric', () => {
    const { obj, errors } = create(horizontalPodAutoscalersV2, {
      metadata: { name: 'h' },
      spec: { scaleTargetRef: ref, maxReplicas: 5 },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    });
  });

  test('behavior defaults fill scaleUp and scaleDown', () => {
    const { obj } = create(horizontalPodAutoscalersV2, {
      metadata: { name: 'h' },
      spec: { scaleTargetRef: ref, maxReplicas: 5, behavior: {} },
    });
    expect((obj.spec as any).behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  test.each([
    [
      'maxReplicas must be positive',
      { scaleTargetRef: ref, maxReplicas: 0 },
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ],
    [
      'maxReplicas ≥ minReplicas',
      { scaleTargetRef: ref, minReplicas: 3, maxReplicas: 2 },
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    ],
    [
      'minReplicas ≥ 1',
      { scaleTargetRef: ref, minReplicas: 0, maxReplicas: 2 },
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
    ],
    [
      'the target kind is required',
      { scaleTargetRef: { name: 'web' }, maxReplicas: 2 },
      'spec.scaleTargetRef.kind: Required value',
    ],
    [
      'metric types are an enum',
      { scaleTargetRef: ref, maxReplicas: 2, metrics: [{ type: 'Magic' }] },
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ],
  ])('%s', (_rule, spec, message) => {
    expect(create(horizontalPodAutoscalersV2, { metadata: { name: 'h' }, spec }).errors).toContain(
      message,
    );
  });

  test('v1 converts to v2 storage and back without loss', () => {
    const v1 = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: ref,
        minReplicas: 1,
        maxReplicas: 4,
        targetCPUUtilizationPercentage: 50,
      },
      status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 30 },
    };
    const stored = horizontalPodAutoscalersV1.conversion!.toStorage(v1);
    expect(stored.apiVersion).toBe('autoscaling/v2');
    expect((stored.spec as any).metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
    expect((stored.status as any).currentMetrics[0].resource.current.averageUtilization).toBe(30);
    expect(horizontalPodAutoscalersV1.conversion!.fromStorage(stored)).toEqual(v1);
  });

  test('v2-only metrics and conditions travel in the alpha annotations through v1', () => {
    const v2 = {
      apiVersion: 'autoscaling/v2',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: ref,
        maxReplicas: 4,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
          },
        ],
      },
      status: { desiredReplicas: 1, conditions: [{ type: 'AbleToScale', status: 'True' }] },
    };
    const v1 = hpaV2ToV1(v2);
    expect(Object.keys(v1.metadata!.annotations!).sort()).toEqual(
      [hpaAnnotations.conditions, hpaAnnotations.metrics].sort(),
    );
    expect(hpaV1ToV2(v1)).toEqual(v2);
  });

  test('the table shows REFERENCE, TARGETS (cpu: current/target), MINPODS, MAXPODS, REPLICAS', () => {
    const obj = {
      metadata: { name: 'h', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: {
        scaleTargetRef: ref,
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } },
        ],
      },
    };
    expect(row(horizontalPodAutoscalersV2, obj)).toEqual({
      Name: 'h',
      Reference: 'Deployment/web',
      Targets: 'cpu: 40%/80%',
      MinPods: '1',
      MaxPods: 5,
      Replicas: 2,
      Age: '60m',
    });
    const unknown = { ...obj, status: {} };
    expect(row(horizontalPodAutoscalersV2, unknown).Targets).toBe('cpu: <unknown>/80%');
  });
});
