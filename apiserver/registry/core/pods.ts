/**
 * core/v1 pods (pkg/registry/core/pod/strategy.go, pkg/apis/core/validation): defaulting of the
 * PodSpec, status reset to `Pending` with the QoS class on create, generation on spec changes,
 * upstream's immutable-spec rule on update, status writes through `/status` (which may not touch
 * spec or ownerReferences), field selectors and the `kubectl get pods` table.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { deepEqual, forbidden, invalid, validateImmutableField } from '../validation/field.js';
import { isValidIP } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { tryParseQuantity } from '../quantity/index.js';
import { ensure, keepAllButStatus, metaFieldLabels } from '../strategy.js';
import { setDefaultsPodOnly, setDefaultsPodSpec } from './podspec-defaults.js';
import { validatePodSpec, validateTolerations } from './podspec-validation.js';
import { podTable } from './pod-printer.js';

type Obj = Record<string, unknown>;

/** `qos.GetPodQOS`: BestEffort, Guaranteed or Burstable from cpu/memory requests and limits. */
export function podQOSClass(spec: Obj | undefined): 'BestEffort' | 'Guaranteed' | 'Burstable' {
  const containers = [
    ...((spec?.initContainers as Obj[] | undefined) ?? []),
    ...((spec?.containers as Obj[] | undefined) ?? []),
  ];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = (c.resources as Obj | undefined) ?? {};
    const req = (res.requests as Obj | undefined) ?? {};
    const lim = (res.limits as Obj | undefined) ?? {};
    for (const r of ['cpu', 'memory']) {
      const rq = req[r] !== undefined ? tryParseQuantity(req[r]) : undefined;
      const lq = lim[r] !== undefined ? tryParseQuantity(lim[r]) : undefined;
      const rqOk = rq !== undefined && typeof rq !== 'string' && !rq.isZero();
      const lqOk = lq !== undefined && typeof lq !== 'string' && !lq.isZero();
      if (rqOk || lqOk) any = true;
      if (!lqOk) guaranteed = false;
      else if (rqOk && typeof rq !== 'string' && typeof lq !== 'string' && rq!.cmp(lq!) !== 0)
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** `applySchedulingGatedCondition`: a gated new pod gets PodScheduled=False/SchedulingGated. */
function applySchedulingGatedCondition(obj: KubeObject, now: string): void {
  const gates = ((obj.spec as Obj | undefined)?.schedulingGates as unknown[] | undefined) ?? [];
  if (gates.length === 0) return;
  const status = obj.status as Obj;
  const conditions = ((status.conditions as Obj[] | undefined) ?? []) as Obj[];
  if (conditions.some((c) => c.type === 'PodScheduled')) return;
  status.conditions = [
    ...conditions,
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    },
  ];
}

/** `preserveOldObservedGeneration`: a status write that omits observedGeneration keeps the old ones. */
function preserveOldObservedGeneration(status: Obj, old: Obj): void {
  if (!status.observedGeneration && old.observedGeneration)
    status.observedGeneration = old.observedGeneration;
  const oldByType = new Map<unknown, number[]>();
  for (const c of (old.conditions as Obj[] | undefined) ?? []) {
    oldByType.set(c.type, [
      ...(oldByType.get(c.type) ?? []),
      (c.observedGeneration as number) ?? 0,
    ]);
  }
  for (const c of (status.conditions as Obj[] | undefined) ?? []) {
    const gens = oldByType.get(c.type) ?? [];
    const oldGen = gens.shift() ?? 0;
    if (!c.observedGeneration && oldGen) c.observedGeneration = oldGen;
  }
}

/**
 * `ValidateContainerStateTransition`: with restartPolicy Never (or OnFailure after exit code 0)
 * a terminated container may not become non-terminated.
 */
function validateContainerStateTransition(
  list: unknown,
  oldList: unknown,
  path: string,
  restartPolicy: string,
): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  const olds = (Array.isArray(oldList) ? oldList : []) as Obj[];
  ((Array.isArray(list) ? list : []) as Obj[]).forEach((c, i) => {
    const old = olds.find((o) => o.name === c.name);
    const oldTerminated = (old?.state as Obj | undefined)?.terminated as Obj | undefined;
    if (!oldTerminated) return;
    if (restartPolicy === 'OnFailure' && (oldTerminated.exitCode ?? 0) !== 0) return;
    if (!(c.state as Obj | undefined)?.terminated) {
      errs.push(
        forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'),
      );
    }
  });
  return errs;
}

const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** `ValidatePodUpdate`: only images, activeDeadlineSeconds, added tolerations may change. */
export function validatePodSpecUpdate(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const mutable = structuredClone(spec);
  const copyImages = (k: string) => {
    const newList = (mutable[k] as Obj[] | undefined) ?? [];
    const oldList = (old[k] as Obj[] | undefined) ?? [];
    newList.forEach((c, i) => {
      if (oldList[i]) c.image = oldList[i].image;
    });
  };
  copyImages('containers');
  copyImages('initContainers');
  mutable.activeDeadlineSeconds = old.activeDeadlineSeconds;
  const oldTerm = old.terminationGracePeriodSeconds as number | undefined;
  if (oldTerm !== undefined && oldTerm < 0 && spec.terminationGracePeriodSeconds === 1) {
    mutable.terminationGracePeriodSeconds = oldTerm;
  }
  const oldTolerations = (old.tolerations as Obj[] | undefined) ?? [];
  const newTolerations = (spec.tolerations as Obj[] | undefined) ?? [];
  const additionsOnly = oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)));
  if (additionsOnly) mutable.tolerations = old.tolerations;
  // Scheduling gates may only be removed.
  const oldGates = (old.schedulingGates as Obj[] | undefined) ?? [];
  const newGates = (spec.schedulingGates as Obj[] | undefined) ?? [];
  if (newGates.every((g) => oldGates.some((o) => deepEqual(o, g))))
    mutable.schedulingGates = old.schedulingGates;
  if (!deepEqual(mutable, old)) {
    errs.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${specDiff(mutable, old)}`,
      ),
    );
  }
  const oldDeadline = old.activeDeadlineSeconds as number | undefined;
  const newDeadline = spec.activeDeadlineSeconds as number | undefined;
  if (oldDeadline !== undefined && oldDeadline !== null) {
    if (newDeadline === undefined || newDeadline === null) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.activeDeadlineSeconds',
        value: null,
        detail: 'must not update from a positive integer to nil value',
      });
    } else if (newDeadline > oldDeadline) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.activeDeadlineSeconds',
        value: newDeadline,
        detail: `must be less than or equal to previous value`,
      });
    }
  }
  errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  return errs;
}

/** A short description of which top-level spec fields differ. */
function specDiff(a: Obj, b: Obj): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = keys.filter((k) => !deepEqual(a[k], b[k]));
  return `  core.PodSpec{ changed fields: ${changed.join(', ')} }`;
}

export const pods: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  singularName: 'pod',
  kind: 'Pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'binding', 'eviction'],
  defaults(obj) {
    const spec = ensure(obj, 'spec');
    setDefaultsPodOnly(spec);
    setDefaultsPodSpec(spec);
  },
  prepareForCreate(obj, ctx) {
    const spec = obj.spec as Obj | undefined;
    obj.status = { phase: 'Pending', qosClass: podQOSClass(spec) };
    (obj.metadata ??= {}).generation = 1;
    applySchedulingGatedCondition(obj, ctx.now);
  },
  prepareForUpdate(obj, old) {
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
    const gen = old.metadata?.generation ?? 0;
    (obj.metadata ??= {}).generation = deepEqual(obj.spec, old.spec) ? gen : gen + 1;
  },
  prepareForStatusUpdate(obj, old) {
    keepAllButStatus(obj, old);
    const meta = (obj.metadata ??= {});
    if (old.metadata?.ownerReferences)
      meta.ownerReferences = structuredClone(old.metadata.ownerReferences);
    else delete meta.ownerReferences;
    if (old.metadata?.generation !== undefined) meta.generation = old.metadata.generation;
    const status = ((obj.status as Obj | undefined) ?? (obj.status = {})) as Obj;
    const oldStatus = (old.status as Obj | undefined) ?? {};
    // The QoS class is immutable; old kubelets drop it, so it is backfilled.
    if (!status.qosClass && oldStatus.qosClass) status.qosClass = oldStatus.qosClass;
    preserveOldObservedGeneration(status, oldStatus);
  },
  validateCreate(obj) {
    const errs = validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validatePodSpec(obj.spec as Obj | undefined, 'spec'));
    const eph = (obj.spec as Obj | undefined)?.ephemeralContainers;
    if (Array.isArray(eph) && eph.length)
      errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  validateUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    errs.push(...validatePodSpec(obj.spec as Obj | undefined, 'spec'));
    errs.push(...validatePodSpecUpdate((obj.spec as Obj) ?? {}, (old.spec as Obj) ?? {}));
    return errs;
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const status = (obj.status as Obj | undefined) ?? {};
    const oldStatus = (old.status as Obj | undefined) ?? {};
    const restartPolicy = ((old.spec as Obj | undefined)?.restartPolicy as string) ?? 'Always';
    for (const f of ['containerStatuses', 'initContainerStatuses']) {
      errs.push(
        ...validateContainerStateTransition(status[f], oldStatus[f], `status.${f}`, restartPolicy),
      );
    }
    errs.push(...validateImmutableField(status.qosClass, oldStatus.qosClass, 'status.qosClass'));
    ((status.podIPs as Obj[] | undefined) ?? []).forEach((ip, i) => {
      for (const m of isValidIP((ip.ip as string) ?? ''))
        errs.push(invalid(`status.podIPs[${i}].ip`, ip.ip ?? '', m));
    });
    ((status.hostIPs as Obj[] | undefined) ?? []).forEach((ip, i) => {
      for (const m of isValidIP((ip.ip as string) ?? ''))
        errs.push(invalid(`status.hostIPs[${i}].ip`, ip.ip ?? '', m));
    });
    return errs;
  },
  fieldLabels(obj: KubeObject) {
    const spec = (obj.spec as Obj | undefined) ?? {};
    const status = (obj.status as Obj | undefined) ?? {};
    const podIPs = (status.podIPs as Obj[] | undefined) ?? [];
    return {
      ...metaFieldLabels(obj, true),
      'spec.nodeName': (spec.nodeName as string) ?? '',
      'spec.restartPolicy': (spec.restartPolicy as string) ?? '',
      'spec.schedulerName': (spec.schedulerName as string) ?? '',
      'spec.serviceAccountName': (spec.serviceAccountName as string) ?? '',
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': (status.phase as string) ?? '',
      'status.podIP': ((podIPs[0]?.ip as string) || (status.podIP as string)) ?? '',
      'status.nominatedNodeName': (status.nominatedNodeName as string) ?? '',
    };
  },
  table: podTable,
  defaultPropagation: 'Background',
};
