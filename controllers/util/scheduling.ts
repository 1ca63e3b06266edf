/**
 * Scheduling predicates controllers share (`k8s.io/component-helpers/scheduling/corev1` and the
 * `v1helper` toleration helpers), as the DaemonSet controller uses them to decide where its pods
 * belong. Pure functions over the wire shapes; they never throw.
 *
 * - {@link toleratesTaint}: an empty toleration effect matches every effect, an empty key (with
 *   `Exists`) every key; `Equal` (or no operator) compares values, `Exists` ignores them.
 * - {@link findMatchingUntoleratedTaint}: the first taint, among those `filter` accepts, that no
 *   toleration tolerates.
 * - {@link matchesRequiredNodeAffinity}: `spec.nodeSelector` AND the required node affinity.
 *   Required terms are ORed, and within a term `matchExpressions` and `matchFields` are ANDed; a
 *   term with neither, or one that does not parse (unknown operator, `Gt` without one integer,
 *   a field other than `metadata.name`), matches nothing, as upstream ignores it.
 * - {@link addOrUpdateToleration}: `AddOrUpdateTolerationInPodSpec` — replaces a toleration with
 *   the same key, operator, value and effect, or appends.
 */
import type { Node, Pod } from '../../framework/index.js';

export type PodSpec = NonNullable<Pod['spec']>;
export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
export type Toleration = NonNullable<PodSpec['tolerations']>[number];

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `Toleration.ToleratesTaint`. */
export function toleratesTaint(t: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** `FindMatchingUntoleratedTaint`: the first accepted taint no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Readonly<Taint>[] | undefined,
  tolerations: readonly Readonly<Toleration>[] | undefined,
  filter: (taint: Readonly<Taint>) => boolean,
): Readonly<Taint> | undefined {
  for (const taint of taints ?? []) {
    if (!filter(taint)) continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

/** One `NodeSelectorRequirement` on a value (`undefined`: the label is absent). */
function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      if (values.length === 0) throw new Error('values set can not be empty for In');
      return value !== undefined && values.includes(value);
    case 'NotIn':
      if (values.length === 0) throw new Error('values set can not be empty for NotIn');
      return value === undefined || !values.includes(value);
    case 'Exists':
      if (values.length > 0) throw new Error('values set must be empty for Exists');
      return value !== undefined;
    case 'DoesNotExist':
      if (values.length > 0) throw new Error('values set must be empty for DoesNotExist');
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !/^-?\d+$/.test(values[0]!)) {
        throw new Error(`for 'Gt', 'Lt' operators, exactly one integer value is required`);
      }
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return r.operator === 'Gt'
        ? Number(value) > Number(values[0])
        : Number(value) < Number(values[0]);
    }
    default:
      throw new Error(`${JSON.stringify(r.operator)} is not a valid node selector operator`);
  }
}

function termMatches(term: NodeSelectorTerm, node: Readonly<Node>): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
  try {
    for (const f of fields) {
      if (f.key !== 'metadata.name') throw new Error(`unsupported field ${f.key}`);
      if (!requirementMatches(f, node.metadata?.name ?? '')) return false;
    }
    for (const e of exprs) {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      if (!requirementMatches(e, has ? labels[e.key] : undefined)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** `GetRequiredNodeAffinity(pod).Match(node)`: node selector and required node affinity. */
export function matchesRequiredNodeAffinity(
  spec: Readonly<PodSpec> | undefined,
  node: Readonly<Node>,
): boolean {
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms = (required.nodeSelectorTerms ?? []) as NodeSelectorTerm[];
  return terms.some((t) => termMatches(t, node));
}

/** Same key, operator (empty is `Equal`), value and effect (`Toleration.MatchToleration`). */
function sameToleration(a: Readonly<Toleration>, b: Readonly<Toleration>): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator || 'Equal') === (b.operator || 'Equal') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/** `AddOrUpdateTolerationInPodSpec` on a spec the caller owns. */
export function addOrUpdateToleration(spec: PodSpec, toleration: Toleration): void {
  const list = (spec.tolerations ??= []);
  const i = list.findIndex((t) => sameToleration(t, toleration));
  if (i >= 0) list[i] = { ...toleration };
  else list.push({ ...toleration });
}
