/**
 * autoscaling/v2 and autoscaling/v1 horizontalpodautoscalers, one storage in v2
 * (`SetDefaults_HorizontalPodAutoscaler*`, pkg/apis/autoscaling/validation,
 * `printHorizontalPodAutoscaler`). Validation runs on the v2 form of either version.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, notSupported, required } from '../validation/field.js';
import { isValidPathSegmentName } from '../validation/names.js';
import {
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { tryParseQuantity } from '../quantity/index.js';
import { hpaV1ToV2, hpaV2ToV1 } from './conversion.js';

type Obj = Record<string, unknown>;

/** `SetDefaults_HorizontalPodAutoscaler` (v2) and the behavior defaults. */
export function setDefaultsHPAV2(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
  }
  const behavior = spec.behavior as Obj | undefined;
  if (behavior) {
    const up = ensure(behavior, 'scaleUp');
    setDefault(up, 'stabilizationWindowSeconds', 0);
    setDefault(up, 'selectPolicy', 'Max');
    setDefault(up, 'policies', [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    const down = ensure(behavior, 'scaleDown');
    setDefault(down, 'stabilizationWindowSeconds', 300);
    setDefault(down, 'selectPolicy', 'Max');
    setDefault(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }
}

const metricTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const targetTypes = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(target: Obj | undefined, path: string): FieldError[] {
  if (!target) return [required(path)];
  const errs: FieldError[] = [];
  if (!target.type) errs.push(required(`${path}.type`));
  else if (!targetTypes.includes(target.type as string))
    errs.push(notSupported(`${path}.type`, target.type, targetTypes));
  for (const f of ['value', 'averageValue']) {
    if (target[f] === undefined) continue;
    const q = tryParseQuantity(target[f]);
    if (typeof q === 'string') errs.push(invalid(`${path}.${f}`, target[f], q));
    else if (q.sign() <= 0) errs.push(invalid(`${path}.${f}`, q.toString(), 'must be positive'));
  }
  if (target.averageUtilization !== undefined && (target.averageUtilization as number) < 1) {
    errs.push(
      invalid(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'),
    );
  }
  return errs;
}

/** Validates the v2 form of an HPA spec. */
export function validateHPASpecV2(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas as number | undefined;
  const max = (spec.maxReplicas as number) ?? 0;
  if (min !== undefined && min !== null && min < 1)
    errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && min !== null && max < min)
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = (spec.scaleTargetRef as Obj | undefined) ?? {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  else
    for (const m of isValidPathSegmentName(ref.kind as string))
      errs.push(invalid('spec.scaleTargetRef.kind', ref.kind, m));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  else
    for (const m of isValidPathSegmentName(ref.name as string))
      errs.push(invalid('spec.scaleTargetRef.name', ref.name, m));
  ((spec.metrics as Obj[] | undefined) ?? []).forEach((m, i) => {
    const p = `spec.metrics[${i}]`;
    if (!m.type) {
      errs.push(required(`${p}.type`, 'must specify a metric source type'));
      return;
    }
    if (!metricTypes.includes(m.type as string)) {
      errs.push(notSupported(`${p}.type`, m.type, metricTypes));
      return;
    }
    const key = (m.type as string).charAt(0).toLowerCase() + (m.type as string).slice(1);
    const source = m[key] as Obj | undefined;
    if (!source) {
      errs.push(required(`${p}.${key}`, `must populate information for the given metric source`));
      return;
    }
    if ((m.type === 'Resource' || m.type === 'ContainerResource') && !source.name)
      errs.push(required(`${p}.${key}.name`));
    errs.push(...validateTarget(source.target as Obj | undefined, `${p}.${key}.target`));
  });
  const behavior = spec.behavior as Obj | undefined;
  for (const dir of ['scaleUp', 'scaleDown']) {
    const rules = behavior?.[dir] as Obj | undefined;
    if (!rules) continue;
    const w = rules.stabilizationWindowSeconds as number | undefined;
    if (w !== undefined && (w < 0 || w > 3600))
      errs.push(
        invalid(
          `spec.behavior.${dir}.stabilizationWindowSeconds`,
          w,
          'must be less than or equal to 3600',
        ),
      );
    if (
      rules.selectPolicy !== undefined &&
      !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy as string)
    ) {
      errs.push(
        notSupported(`spec.behavior.${dir}.selectPolicy`, rules.selectPolicy, [
          'Disabled',
          'Max',
          'Min',
        ]),
      );
    }
  }
  return errs;
}

/** `formatHPAMetrics`: `cpu: 40%/80%`, `<unknown>` for missing current values, two at most. */
export function formatHPAMetrics(spec: Obj, status: Obj): string {
  const specs = (spec.metrics as Obj[] | undefined) ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = (status.currentMetrics as Obj[] | undefined) ?? [];
  const out: string[] = [];
  const q = (v: unknown) => {
    const p = tryParseQuantity(v);
    return typeof p === 'string' ? String(v) : p.toString();
  };
  specs.forEach((m, i) => {
    const st = statuses[i] as Obj | undefined;
    const type = m.type as string;
    const key = type ? type.charAt(0).toLowerCase() + type.slice(1) : '';
    const src = (m[key] as Obj | undefined) ?? {};
    const target = (src.target as Obj | undefined) ?? {};
    const cur = ((st?.[key] as Obj | undefined)?.current as Obj | undefined) ?? undefined;
    switch (type) {
      case 'External':
      case 'Object':
        if (target.averageValue !== undefined)
          out.push(
            `${cur?.averageValue !== undefined ? q(cur.averageValue) : '<unknown>'}/${q(target.averageValue)} (avg)`,
          );
        else
          out.push(`${cur?.value !== undefined ? q(cur.value) : '<unknown>'}/${q(target.value)}`);
        break;
      case 'Pods':
        out.push(
          `${cur?.averageValue !== undefined ? q(cur.averageValue) : '<unknown>'}/${q(target.averageValue)}`,
        );
        break;
      case 'Resource':
      case 'ContainerResource': {
        const name =
          type === 'ContainerResource'
            ? `${src.name} (container ${src.container})`
            : String(src.name);
        if (target.averageValue !== undefined) {
          out.push(
            `${name}: ${cur?.averageValue !== undefined ? q(cur.averageValue) : '<unknown>'}/${q(target.averageValue)}`,
          );
        } else {
          const current =
            cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
          const t =
            target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
          out.push(`${name}: ${current}/${t}`);
        }
        break;
      }
      default:
        out.push('<unknown type>');
    }
  });
  const max = 2;
  if (out.length > max) return `${out.slice(0, max).join(', ')} + ${out.length - max} more...`;
  return out.join(', ');
}

const hpaTable: NonNullable<ResourceType['table']> = {
  columns: [
    nameColumn,
    col(
      'Reference',
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    ),
    col(
      'Targets',
      'metrics contains the specifications for which to use to calculate the desired replica count.',
    ),
    col(
      'MinPods',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    ),
    col(
      'MaxPods',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
    ),
    col(
      'Replicas',
      'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
    ),
    ageColumn,
  ],
  cells(obj, { now }) {
    const spec = (obj.spec as Obj | undefined) ?? {};
    const status = (obj.status as Obj | undefined) ?? {};
    const ref = (spec.scaleTargetRef as Obj | undefined) ?? {};
    return [
      nameOf(obj),
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatHPAMetrics(spec, status),
      spec.minReplicas === undefined || spec.minReplicas === null
        ? '<unset>'
        : String(spec.minReplicas),
      (spec.maxReplicas as number) ?? 0,
      (status.currentReplicas as number) ?? 0,
      ageOf(obj, now),
    ];
  },
};

function validateHPAStatus(obj: KubeObject): FieldError[] {
  const s = (obj.status as Obj | undefined) ?? {};
  return ['currentReplicas', 'desiredReplicas'].flatMap((f) =>
    validateNonnegativeField(s[f] as number | undefined, `status.${f}`),
  );
}

const base = {
  group: 'autoscaling',
  resource: 'horizontalpodautoscalers',
  singularName: 'horizontalpodautoscaler',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  allowCreateOnUpdate: true,
  ...statusStrategy({ initialStatus: () => ({ desiredReplicas: 0 }) }),
  fieldLabels: (obj: KubeObject) => metaFieldLabels(obj, true),
};

export const horizontalPodAutoscalersV2: ResourceType = {
  ...base,
  version: 'v2',
  defaults: setDefaultsHPAV2,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateHPASpecV2((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateHPASpecV2((obj.spec as Obj) ?? {}),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateHPAStatus(obj),
  ],
  table: hpaTable,
};

/** v1 objects are stored as v2 with v2 defaulting applied, as upstream decodes into the internal type. */
function v1ToStorage(obj: KubeObject): KubeObject {
  const v2 = hpaV1ToV2(obj);
  setDefaultsHPAV2(v2);
  return v2;
}

export const horizontalPodAutoscalersV1: ResourceType = {
  ...base,
  version: 'v1',
  storagePrefix: 'horizontalpodautoscalers',
  conversion: { storageVersion: 'autoscaling/v2', toStorage: v1ToStorage, fromStorage: hpaV2ToV1 },
  defaults: (obj) => setDefault(ensure(obj, 'spec'), 'minReplicas', 1),
  validateCreate(obj) {
    const errs = validateObjectMeta(obj.metadata, { namespaced: true });
    const t = (obj.spec as Obj | undefined)?.targetCPUUtilizationPercentage as number | undefined;
    if (t !== undefined && t !== null && t < 1)
      errs.push(invalid('spec.targetCPUUtilizationPercentage', t, 'must be greater than 0'));
    return [...errs, ...validateHPASpecV2((hpaV1ToV2(obj).spec as Obj) ?? {})];
  },
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateHPASpecV2((hpaV1ToV2(obj).spec as Obj) ?? {}),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateHPAStatus(obj),
  ],
  table: {
    columns: hpaTable.columns,
    cells: (obj, ctx) => hpaTable.cells(v1ToStorage(obj), ctx),
  },
};
