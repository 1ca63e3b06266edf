/**
 * podFailurePolicy and successPolicy (`pod_failure_policy.go`, `success_policy.go`).
 *
 * A failed pod is matched against the podFailurePolicy rules in order; the first match decides:
 * `FailJob` (the Job fails with reason PodFailurePolicy), `Ignore` (not counted against the
 * backoff limit), `Count` (counted), `FailIndex` (the index fails). No match counts the failure.
 * `onExitCodes` looks at terminated containers with a non-zero exit code (app containers first,
 * then init containers); `onPodConditions` at the pod's conditions.
 */
import type { Job, Pod } from '../../framework/index.js';
import { parseIndexes, totalIndexes, type OrderedIntervals } from './indexes.js';

type PodFailurePolicy = NonNullable<NonNullable<Job['spec']>['podFailurePolicy']>;
type SuccessPolicy = NonNullable<NonNullable<Job['spec']>['successPolicy']>;
type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];
type ExitCodes = NonNullable<PodFailurePolicy['rules'][number]['onExitCodes']>;

export interface PolicyMatch {
  /** Present for a FailJob rule: the Job's failure message. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit / backoffLimitPerIndex. */
  countFailed: boolean;
  action?: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
}

function exitCodeMatches(code: number, req: ExitCodes): boolean {
  switch (req.operator) {
    case 'In':
      return req.values.includes(code);
    case 'NotIn':
      return !req.values.includes(code);
    default:
      return false;
  }
}

function matchingContainer(
  statuses: readonly ContainerStatus[] | undefined,
  req: ExitCodes,
): ContainerStatus | undefined {
  for (const s of statuses ?? []) {
    const t = s.state?.terminated;
    if (!t) continue;
    if (req.containerName && req.containerName !== s.name) continue;
    if (t.exitCode !== 0 && exitCodeMatches(t.exitCode, req)) return s;
  }
  return undefined;
}

/** `matchPodFailurePolicy`. */
export function matchPodFailurePolicy(
  policy: PodFailurePolicy | undefined,
  pod: Readonly<Pod>,
): PolicyMatch {
  if (!policy) return { countFailed: true };
  const ns = pod.metadata?.namespace;
  const name = pod.metadata?.name;
  for (const [index, rule] of policy.rules.entries()) {
    let what: string | undefined;
    if (rule.onExitCodes) {
      const c =
        matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ??
        matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!c) continue;
      what = `Container ${c.name} for pod ${ns}/${name} failed with exit code ${c.state!.terminated!.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = (pod.status?.conditions ?? []).find((pc) =>
        rule.onPodConditions!.some((p) => p.type === pc.type && (p.status ?? 'True') === pc.status),
      );
      if (!cond) continue;
      what = `Pod ${ns}/${name} has condition ${cond.type} matching ${rule.action} rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage: what, countFailed: true, action: 'FailJob' };
    }
  }
  return { countFailed: true };
}

/** `matchSucceededIndexesRule`. */
function succeededIndexesRuleMatches(
  rule: OrderedIntervals,
  succeeded: OrderedIntervals,
  count: number | undefined,
): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap =
      Math.min(rule[r]!.last, succeeded[s]!.last) -
      Math.max(rule[r]!.first, succeeded[s]!.first) +
      1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s]!.last < rule[r]!.last) s++;
    else if (succeeded[s]!.last > rule[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(rule) || (count !== undefined && contains >= count);
}

/** `matchSuccessPolicy`: the message `Matched rules at index N` when a rule is met. */
export function matchSuccessPolicy(
  policy: SuccessPolicy | undefined,
  completions: number,
  succeeded: OrderedIntervals,
): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (succeededIndexesRuleMatches(required, succeeded, rule.succeededCount ?? undefined))
        return `Matched rules at index ${index}`;
    } else if (
      rule.succeededCount !== undefined &&
      rule.succeededCount !== null &&
      totalIndexes(succeeded) >= rule.succeededCount
    ) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
