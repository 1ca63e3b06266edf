/**
 * HPA conditions (`setConditionInList` in `horizontal.go`): a condition is added when missing; its
 * transition time moves only when its status changes; reason and message are always replaced.
 */
import type { HorizontalPodAutoscaler } from '../../framework/index.js';

export type HPA = HorizontalPodAutoscaler;
export type HPAStatus = NonNullable<HPA['status']>;
export type HPACondition = NonNullable<HPAStatus['conditions']>[number];

/** A condition to set: type, status, reason and message. */
export interface ConditionValue {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export function setCondition(hpa: HPA, c: ConditionValue, now: string): void {
  const status = (hpa.status ??= { desiredReplicas: 0 });
  const list = (status.conditions ??= []);
  let existing = list.find((x) => x.type === c.type);
  if (!existing) {
    existing = { type: c.type, status: c.status } as HPACondition;
    list.push(existing);
    existing.lastTransitionTime = now;
  } else if (existing.status !== c.status) {
    existing.lastTransitionTime = now;
  }
  existing.status = c.status;
  existing.reason = c.reason;
  existing.message = c.message;
}
