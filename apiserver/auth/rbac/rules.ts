/**
 * RBAC rule evaluation, as upstream's `rbac/v1` evaluation helpers and the rule comparator used by
 * escalation checks:
 *
 * - {@link ruleAllows}: `*` matches any verb, group, resource or URL; `*\/sub` matches subresource
 *   `sub` of any resource; `resources: [pods/log]` matches only that subresource; a rule with
 *   `resourceNames` matches only requests naming one of them (so never list, watch or create
 *   without a name); a non-resource URL ending in `*` matches by prefix.
 * - {@link appliesTo}: a User subject matches by name, a Group by membership, a ServiceAccount by
 *   `system:serviceaccount:<ns>:<name>`, its namespace defaulting to the binding's.
 * - {@link covers}: whether one set of rules allows everything another does (each servant rule is
 *   broken down to one verb × one group × one resource × one name first), with the uncovered
 *   pieces; {@link compactRules} and {@link compactString} render them as upstream does in 403
 *   messages.
 */
import type { Attributes, PolicyRule } from '../authz/types.js';
import type { UserInfo } from '../user.js';
import { serviceAccountUsername } from '../user.js';

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

const has = (set: readonly string[] | undefined, v: string) => (set ?? []).includes(v);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, '*') || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, '*') || has(rule.apiGroups, group);
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (
      subresource &&
      r.length === subresource.length + 2 &&
      r.startsWith('*/') &&
      r.endsWith(subresource)
    )
      return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return (rule.resourceNames ?? []).length === 0 || has(rule.resourceNames, name);
}

export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (r) => r === '*' || r === url || (r.endsWith('*') && url.startsWith(r.replace(/\*+$/, ''))),
  );
}

/** Upstream `RuleAllows`. */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, combined, attrs.subresource) &&
      resourceNameMatches(rule, attrs.name)
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

/** Index of the first subject that is `user`, or -1 (upstream `appliesTo`). */
export function appliesTo(user: UserInfo, subjects: readonly Subject[], namespace: string): number {
  return subjects.findIndex((s) => {
    switch (s.kind) {
      case 'User':
        return user.username === s.name;
      case 'Group':
        return user.groups.includes(s.name);
      case 'ServiceAccount': {
        const ns = s.namespace || namespace;
        return ns !== '' && user.username === serviceAccountUsername(ns, s.name);
      }
      default:
        return false;
    }
  });
}

/** Upstream `BreakdownRule`: one verb, group, resource (and name) per rule. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!)
            out.push({
              apiGroups: [group],
              resources: [resource],
              verbs: [verb],
              resourceNames: [name],
            });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (set: readonly string[] | undefined, wanted: readonly string[] | undefined) =>
  (wanted ?? []).every((w) => has(set, w));

function resourceCoversAll(
  owner: readonly string[] | undefined,
  wanted: readonly string[] | undefined,
): boolean {
  if (has(owner, '*') || hasAll(owner, wanted)) return true;
  return (wanted ?? []).every((path) => {
    if (has(owner, path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && has(owner, `*/${path.slice(slash + 1)}`);
  });
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  return owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));
}

/** Upstream `ruleCovers`: `owner` allows everything the broken-down `sub` does. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((u) =>
    (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, u)),
  );
  const ownerNames = owner.resourceNames ?? [];
  const names =
    (sub.resourceNames ?? []).length === 0
      ? ownerNames.length === 0
      : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** Upstream `Covers`: whether `owner` covers `servant`, and the uncovered broken-down rules. */
export function covers(
  owner: readonly PolicyRule[],
  servant: readonly PolicyRule[],
): { covered: boolean; missing: PolicyRule[] } {
  const missing = servant
    .flatMap(breakdownRule)
    .filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return { covered: missing.length === 0, missing };
}

/** Upstream `CompactRules`: single group/resource rules that differ only in verbs are merged. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames ?? []).length === 0 &&
      (r.nonResourceURLs ?? []).length === 0 &&
      (r.apiGroups ?? []).length === 1 &&
      (r.resources ?? []).length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]}\u0000${r.resources![0]}`;
    const existing = simple.get(key);
    if (existing) existing.verbs.push(...r.verbs);
    else
      simple.set(key, {
        apiGroups: [...r.apiGroups!],
        resources: [...r.resources!],
        verbs: [...r.verbs],
      });
  }
  return [...out, ...simple.values()];
}

/** Go's `%q` of a `[]string`: `["a" "b"]`. */
function quoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** Upstream `CompactString`: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length) parts.push(`APIGroups:${quoteList(r.apiGroups!)}`);
  if ((r.resources ?? []).length) parts.push(`Resources:${quoteList(r.resources!)}`);
  if ((r.nonResourceURLs ?? []).length)
    parts.push(`NonResourceURLs:${quoteList(r.nonResourceURLs!)}`);
  if ((r.resourceNames ?? []).length) parts.push(`ResourceNames:${quoteList(r.resourceNames!)}`);
  if (r.verbs.length) parts.push(`Verbs:${quoteList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

export { quoteList };
