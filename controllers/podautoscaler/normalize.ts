/**
 * From a metric recommendation to the replicas to set (`horizontal.go`):
 *
 * Without `spec.behavior` (`normalizeDesiredReplicas`): the recommendation is the highest of the
 * last 5 minutes (downscale stabilization), then clamped to [minReplicas, min(maxReplicas,
 * max(2 × current, 4))] (`convertDesiredReplicasWithRules`).
 *
 * With `spec.behavior` (`normalizeDesiredReplicasWithBehaviors`): the recommendation is held
 * between the lowest recommendation of the scale-up window and the highest of the scale-down
 * window (a scale-down window left unset takes the controller's 5 minutes), then limited by the
 * policies: for each policy, the replicas at the start of its period (current − changes made in
 * it) plus `Pods` value or times (1 + `Percent`/100) (rounded up) when scaling up, minus value or
 * times (1 − percent/100) (rounded down) when scaling down; `selectPolicy` Max takes the largest
 * change, Min the smallest, Disabled none. Finally [minReplicas, maxReplicas].
 *
 * Both record the AbleToScale and ScalingLimited conditions with upstream's reasons and
 * messages. State (recommendations, scale events) is kept per HPA key in memory; times come from
 * the injected clock.
 */
import { conditionTypes, scaleUpLimitFactor, scaleUpLimitMinimum } from './defaults.js';
import type { ConditionValue } from './conditions.js';

interface Timed {
  value: number;
  atMs: number;
  outdated?: boolean;
}

export interface ScalingPolicy {
  type: string;
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: string;
  policies?: ScalingPolicy[];
}

export interface NormalizeArgs {
  key: string;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } | null;
}

export interface Normalized {
  replicas: number;
  ableToScale: ConditionValue;
  scalingLimited: ConditionValue;
}

const able = (reason: string, message: string): ConditionValue => ({
  type: conditionTypes.ableToScale,
  status: 'True',
  reason,
  message,
});
const limited = (isLimited: boolean, reason: string, message: string): ConditionValue => ({
  type: conditionTypes.scalingLimited,
  status: isLimited ? 'True' : 'False',
  reason,
  message,
});

const withinRange = ['DesiredWithinRange', 'the desired count is within the acceptable range'];
const tooMany = [
  'TooManyReplicas',
  'the desired replica count is more than the maximum replica count',
];
const tooFew = [
  'TooFewReplicas',
  'the desired replica count is less than the minimum replica count',
];
const upLimit = [
  'ScaleUpLimit',
  'the desired replica count is increasing faster than the maximum scale rate',
];
const downLimit = [
  'ScaleDownLimit',
  'the desired replica count is decreasing faster than the maximum scale rate',
];

export class Normalizer {
  private readonly recommendations = new Map<string, Timed[]>();
  private readonly scaleUpEvents = new Map<string, Timed[]>();
  private readonly scaleDownEvents = new Map<string, Timed[]>();

  constructor(
    private readonly now: () => number,
    private readonly downscaleStabilizationMs: number,
  ) {}

  /** `recordInitialRecommendation`: the current size seeds an HPA's first window. */
  recordInitial(key: string, currentReplicas: number): void {
    if (!this.recommendations.has(key)) {
      this.recommendations.set(key, [{ value: currentReplicas, atMs: this.now() }]);
    }
  }

  /** Forgets a deleted HPA. */
  forget(key: string): void {
    this.recommendations.delete(key);
    this.scaleUpEvents.delete(key);
    this.scaleDownEvents.delete(key);
  }

  normalize(a: NormalizeArgs): Normalized {
    return a.behavior ? this.withBehaviors(a) : this.withoutBehaviors(a);
  }

  /** `storeScaleEvent`: remembers a rescale for the policies (only with a behavior). */
  storeScaleEvent(a: Pick<NormalizeArgs, 'key' | 'behavior'>, prev: number, next: number): void {
    if (!a.behavior) return;
    const up = next > prev;
    const rules = up ? a.behavior.scaleUp : a.behavior.scaleDown;
    const store = up ? this.scaleUpEvents : this.scaleDownEvents;
    const longest = Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds));
    const events = store.get(a.key) ?? [];
    const now = this.now();
    for (const e of events) if (e.atMs < now - longest * 1000) e.outdated = true;
    const event = { value: Math.abs(next - prev), atMs: now };
    const old = events.findLastIndex((e) => e.outdated);
    if (old >= 0) events[old] = event;
    else events.push(event);
    store.set(a.key, events);
  }

  /** `stabilizeRecommendation` + `convertDesiredReplicasWithRules`. */
  private withoutBehaviors(a: NormalizeArgs): Normalized {
    const now = this.now();
    const cutoff = now - this.downscaleStabilizationMs;
    const recs = this.recommendations.get(a.key) ?? [];
    let max = a.desiredReplicas;
    let oldIndex = -1;
    recs.forEach((r, i) => {
      if (r.atMs < cutoff) oldIndex = i;
      else if (r.value > max) max = r.value;
    });
    const rec = { value: a.desiredReplicas, atMs: now };
    if (oldIndex >= 0) recs[oldIndex] = rec;
    else recs.push(rec);
    this.recommendations.set(a.key, recs);

    const ableToScale =
      max !== a.desiredReplicas
        ? able(
            'ScaleDownStabilized',
            'recent recommendations were higher than current one, applying the highest recent recommendation',
          )
        : able('ReadyForNewScale', 'recommended size matches current size');
    const scaleUpLimit = Math.max(scaleUpLimitFactor * a.currentReplicas, scaleUpLimitMinimum);
    const [maxAllowed, maxReason] =
      a.maxReplicas > scaleUpLimit ? [scaleUpLimit, upLimit] : [a.maxReplicas, tooMany];
    let replicas = max;
    let reason = withinRange;
    if (max < a.minReplicas) [replicas, reason] = [a.minReplicas, tooFew];
    else if (max > maxAllowed) [replicas, reason] = [maxAllowed, maxReason];
    return {
      replicas,
      ableToScale,
      scalingLimited: limited(replicas !== max, reason[0]!, reason[1]!),
    };
  }

  /** `stabilizeRecommendationWithBehaviors` + `convertDesiredReplicasWithBehaviorRate`. */
  private withBehaviors(a: NormalizeArgs): Normalized {
    const now = this.now();
    const up = a.behavior?.scaleUp ?? {};
    const down = a.behavior?.scaleDown ?? {};
    const upCutoff = now - (up.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindow = down.stabilizationWindowSeconds;
    const downCutoff =
      now -
      (downWindow === undefined || downWindow === null
        ? this.downscaleStabilizationMs
        : downWindow * 1000);
    let upRec = a.desiredReplicas;
    let downRec = a.desiredReplicas;
    let oldIndex = -1;
    const recs = this.recommendations.get(a.key) ?? [];
    recs.forEach((r, i) => {
      if (r.atMs > upCutoff) upRec = Math.min(r.value, upRec);
      if (r.atMs > downCutoff) downRec = Math.max(r.value, downRec);
      if (r.atMs < upCutoff && r.atMs < downCutoff) oldIndex = i;
    });
    let stabilized = a.currentReplicas;
    if (stabilized < upRec) stabilized = upRec;
    if (stabilized > downRec) stabilized = downRec;
    const rec = { value: a.desiredReplicas, atMs: now };
    if (oldIndex >= 0) recs[oldIndex] = rec;
    else recs.push(rec);
    this.recommendations.set(a.key, recs);

    let ableToScale: ConditionValue;
    if (stabilized !== a.desiredReplicas) {
      ableToScale =
        a.desiredReplicas >= a.currentReplicas
          ? able(
              'ScaleUpStabilized',
              'recent recommendations were lower than current one, applying the lowest recent recommendation',
            )
          : able(
              'ScaleDownStabilized',
              'recent recommendations were higher than current one, applying the highest recent recommendation',
            );
    } else {
      ableToScale = able('ReadyForNewScale', 'recommended size matches current size');
    }
    const [replicas, reason] = this.rateLimit({ ...a, desiredReplicas: stabilized }, up, down);
    return {
      replicas,
      ableToScale,
      scalingLimited: limited(replicas !== stabilized, reason[0]!, reason[1]!),
    };
  }

  private rateLimit(a: NormalizeArgs, up: ScalingRules, down: ScalingRules): [number, string[]] {
    const upEvents = this.scaleUpEvents.get(a.key) ?? [];
    const downEvents = this.scaleDownEvents.get(a.key) ?? [];
    if (a.desiredReplicas > a.currentReplicas) {
      const limit = Math.max(
        scaleLimit(a.currentReplicas, upEvents, downEvents, up, 'up', this.now()),
        a.currentReplicas,
      );
      const [maxAllowed, reason] =
        a.maxReplicas > limit ? [limit, upLimit] : [a.maxReplicas, tooMany];
      if (a.desiredReplicas > maxAllowed) return [maxAllowed, reason];
    } else if (a.desiredReplicas < a.currentReplicas) {
      const limit = Math.min(
        scaleLimit(a.currentReplicas, upEvents, downEvents, down, 'down', this.now()),
        a.currentReplicas,
      );
      const [minAllowed, reason] =
        a.minReplicas < limit ? [limit, downLimit] : [a.minReplicas, tooFew];
      if (a.desiredReplicas < minAllowed) return [minAllowed, reason];
    }
    return [a.desiredReplicas, withinRange];
  }
}

/** Replicas changed within the last `periodSeconds` (`getReplicasChangePerPeriod`). */
function changeInPeriod(periodSeconds: number, events: readonly Timed[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.atMs > cutoff) sum += e.value;
  return sum;
}

/** `calculateScaleUpLimitWithScalingRules` / `calculateScaleDownLimitWithBehaviors`. */
function scaleLimit(
  current: number,
  upEvents: readonly Timed[],
  downEvents: readonly Timed[],
  rules: ScalingRules,
  direction: 'up' | 'down',
  nowMs: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // Max picks the largest change: the highest limit up, the lowest limit down.
  const pickHigher = (rules.selectPolicy === 'Min') === (direction === 'down');
  let result = pickHigher ? -Infinity : Infinity;
  for (const p of rules.policies ?? []) {
    const start =
      current -
      changeInPeriod(p.periodSeconds, upEvents, nowMs) +
      changeInPeriod(p.periodSeconds, downEvents, nowMs);
    let proposed: number;
    if (direction === 'up') {
      proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    } else {
      proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    }
    result = pickHigher ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}
