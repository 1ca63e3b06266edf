/**
 * CustomResourceDefinition conditions (apiextensions-apiserver pkg/apihelpers): find, test and
 * set them the way upstream's controllers do. {@link setCondition} stamps
 * `lastTransitionTime` only when the status changes (or was never stamped); reason and message
 * are always replaced.
 */
import type { KubeObject } from '../registry/index.js';
import { isObject } from './schema/node.js';

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const Established = 'Established';
export const NamesAccepted = 'NamesAccepted';
export const Terminating = 'Terminating';
export const KubernetesAPIApprovalPolicyConformant = 'KubernetesAPIApprovalPolicyConformant';

export function conditionsOf(crd: KubeObject): CRDCondition[] {
  const status = isObject(crd.status) ? crd.status : {};
  return Array.isArray(status.conditions) ? (status.conditions as CRDCondition[]) : [];
}

export function findCondition(crd: KubeObject, type: string): CRDCondition | undefined {
  return conditionsOf(crd).find((c) => c.type === type);
}

export function isConditionTrue(crd: KubeObject, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/** `IsCRDConditionEquivalent`: same type, status, reason and message. */
export function conditionsEquivalent(a: CRDCondition | undefined, b: CRDCondition | undefined) {
  if (!a || !b) return a === b;
  return (
    a.type === b.type &&
    a.status === b.status &&
    (a.reason ?? '') === (b.reason ?? '') &&
    (a.message ?? '') === (b.message ?? '')
  );
}

/** `SetCRDCondition`, in place; `now` is an RFC 3339 time. */
export function setCondition(crd: KubeObject, cond: CRDCondition, now: string): void {
  const status = (crd.status ??= {}) as Record<string, unknown>;
  const list = Array.isArray(status.conditions) ? (status.conditions as CRDCondition[]) : [];
  status.conditions = list;
  const existing = list.find((c) => c.type === cond.type);
  if (!existing) {
    list.push({ ...cond, lastTransitionTime: now });
    return;
  }
  if (existing.status !== cond.status || !existing.lastTransitionTime) {
    existing.lastTransitionTime = now;
  }
  existing.status = cond.status;
  existing.reason = cond.reason;
  existing.message = cond.message;
}

/** `CRDRemoveFinalizer`, in place. */
export function removeFinalizer(crd: KubeObject, finalizer: string): void {
  const meta = (crd.metadata ??= {});
  const rest = (meta.finalizers ?? []).filter((f) => f !== finalizer);
  if (rest.length === 0) delete meta.finalizers;
  else meta.finalizers = rest;
}

export function hasFinalizer(crd: KubeObject, finalizer: string): boolean {
  return (crd.metadata?.finalizers ?? []).includes(finalizer);
}
