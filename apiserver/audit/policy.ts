/**
 * Upstream's audit `Policy` (audit.k8s.io/v1, `--audit-policy-file`): the first rule matching a
 * request gives its level; no matching rule means `None`. Rules match on users, userGroups, verbs,
 * namespaces, resources (group, resources with a star, star-slash-subresource, resource-slash-star,
 * resourceNames) and
 * nonResourceURLs (`*` suffixes), as upstream's `ruleMatches`.
 *
 * kuberx logs no request or response bodies: `Request` and `RequestResponse` are recorded at
 * `Metadata`, so no Secret value can reach the log. Without a policy file every request is
 * logged at `Metadata` (upstream logs nothing without one).
 */
import { parse as parseYaml } from 'yaml';
import type { UserInfo } from '../admission/types.js';
import type { RequestInfo } from '../server/requestinfo.js';

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: AuditStage[];
}

export interface AuditPolicy {
  rules: PolicyRule[];
  omitStages?: AuditStage[];
}

/** What the filter asks the policy: the level to log and the stages to leave out. */
export interface PolicyDecision {
  level: AuditLevel;
  omitStages: AuditStage[];
}

const levels: AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const stages: AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** Every request at Metadata: the policy used without `--audit-policy-file`. */
export const metadataPolicy: AuditPolicy = { rules: [{ level: 'Metadata' }] };

/** Parses and validates a policy file's text; throws an Error naming the bad field. */
export function parseAuditPolicy(text: string): AuditPolicy {
  const doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  if (doc.kind !== 'Policy' || doc.apiVersion !== 'audit.k8s.io/v1') {
    throw new Error(
      `failed decoding audit policy: expected apiVersion audit.k8s.io/v1 kind Policy, got ${JSON.stringify(doc.apiVersion ?? '')} ${JSON.stringify(doc.kind ?? '')}`,
    );
  }
  const rules = (doc.rules as PolicyRule[] | undefined) ?? [];
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new Error('loaded illegal policy with 0 rules');
  }
  const checkStages = (s: unknown, path: string) => {
    for (const [i, st] of ((s as unknown[]) ?? []).entries()) {
      if (!stages.includes(st as AuditStage)) {
        throw new Error(
          `${path}[${i}]: Unsupported value: ${JSON.stringify(st)}: supported values: ${stages.map((x) => `"${x}"`).join(', ')}`,
        );
      }
    }
  };
  checkStages(doc.omitStages, 'omitStages');
  rules.forEach((r, i) => {
    if (!levels.includes(r?.level)) {
      throw new Error(
        `rules[${i}].level: Unsupported value: ${JSON.stringify(r?.level ?? '')}: supported values: ${levels.map((x) => `"${x}"`).join(', ')}`,
      );
    }
    if (r.nonResourceURLs?.length && (r.resources?.length || r.namespaces?.length)) {
      throw new Error(
        `rules[${i}].nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`,
      );
    }
    checkStages(r.omitStages, `rules[${i}].omitStages`);
  });
  return { rules, omitStages: doc.omitStages as AuditStage[] | undefined };
}

const has = (list: string[] | undefined, v: string) => (list ?? []).includes(v);

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function matchesResource(r: PolicyRule, info: RequestInfo): boolean {
  if (!info.isResourceRequest) return false;
  if (r.namespaces?.length && !has(r.namespaces, info.namespace)) return false;
  if (!r.resources?.length) return true;
  const combined = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  for (const gr of r.resources) {
    if ((gr.group ?? '') !== info.apiGroup) continue;
    if (!gr.resources?.length) return true;
    if (gr.resourceNames?.length && !has(gr.resourceNames, info.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (info.subresource && res.startsWith('*/') && res.slice(2) === info.subresource)
        return true;
      if (res.endsWith('/*') && res.slice(0, -2) === info.resource) return true;
    }
  }
  return false;
}

/** Upstream `ruleMatches`. */
export function ruleMatches(r: PolicyRule, info: RequestInfo, user: UserInfo | undefined): boolean {
  if (r.users?.length && (!user || !has(r.users, user.username))) return false;
  if (r.userGroups?.length && !(user?.groups ?? []).some((g) => has(r.userGroups, g))) return false;
  if (r.verbs?.length && !has(r.verbs, info.verb)) return false;
  if (r.namespaces?.length || r.resources?.length) return matchesResource(r, info);
  if (r.nonResourceURLs?.length) {
    return !info.isResourceRequest && r.nonResourceURLs.some((s) => pathMatches(info.path, s));
  }
  return true;
}

/** The level and omitted stages for a request (bodies never logged: capped at Metadata). */
export function evaluatePolicy(
  policy: AuditPolicy,
  info: RequestInfo,
  user: UserInfo | undefined,
): PolicyDecision {
  const rule = policy.rules.find((r) => ruleMatches(r, info, user));
  const omit = [...(policy.omitStages ?? []), ...(rule?.omitStages ?? [])];
  if (!rule || rule.level === 'None') return { level: 'None', omitStages: omit };
  return { level: 'Metadata', omitStages: omit };
}
