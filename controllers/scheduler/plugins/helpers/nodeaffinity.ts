/**
 * Node selectors and node affinity (`k8s.io/component-helpers/scheduling/corev1/nodeaffinity`).
 *
 * - `spec.nodeSelector` is ANDed with the required node affinity.
 * - Required `nodeSelectorTerms` are ORed; within a term, `matchExpressions` and `matchFields` are
 *   ANDed. A term with neither matches nothing. A term that does not parse (an unknown operator,
 *   `Gt` with a non-integer) matches nothing, as upstream ignores it.
 * - Operators: In, NotIn, Exists, DoesNotExist, Gt, Lt (`Gt`/`Lt` take one integer and compare
 *   the label parsed as an integer). `matchFields` supports only `metadata.name` with In/NotIn
 *   and one value.
 * - Preferred terms add their weight when they match; empty or zero-weight terms are ignored.
 */
import { Selector, type Requirement } from '../../../../common/index.js';
import type { Node, Pod } from '../../../../framework/index.js';

type Json = Record<string, unknown>;

interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface ParsedTerm {
  labels: Selector;
  /** `metadata.name` requirements: In → must equal, NotIn → must differ. */
  fields: Array<{ in: boolean; name: string }>;
}

function labelRequirement(r: SelectorRequirement): Requirement {
  const values = [...new Set(r.values ?? [])].sort();
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new Error(`values set can't be empty for ${r.operator}`);
      return { key: r.key, operator: r.operator === 'In' ? 'in' : 'notin', values };
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) throw new Error(`values set must be empty for ${r.operator}`);
      return { key: r.key, operator: r.operator === 'Exists' ? 'exists' : '!', values };
    case 'Gt':
    case 'Lt':
      if (values.length !== 1 || !/^-?\d+$/.test(values[0]!)) {
        throw new Error(`for 'Gt', 'Lt' operators, exactly one integer value is required`);
      }
      return { key: r.key, operator: r.operator === 'Gt' ? 'gt' : 'lt', values };
    default:
      throw new Error(`${JSON.stringify(r.operator)} is not a valid node selector operator`);
  }
}

/** A term, or undefined when it is empty or does not parse (it then matches nothing). */
function parseTerm(term: Json | undefined): ParsedTerm | undefined {
  const exprs = (term?.matchExpressions as SelectorRequirement[] | undefined) ?? [];
  const fieldReqs = (term?.matchFields as SelectorRequirement[] | undefined) ?? [];
  if (exprs.length === 0 && fieldReqs.length === 0) return undefined;
  try {
    const labels = Selector.of(exprs.map(labelRequirement));
    const fields = fieldReqs.map((f) => {
      if (f.key !== 'metadata.name') throw new Error(`unsupported field ${f.key}`);
      if ((f.values ?? []).length !== 1) throw new Error('one value is required');
      if (f.operator !== 'In' && f.operator !== 'NotIn') throw new Error('unsupported operator');
      return { in: f.operator === 'In', name: f.values![0]! };
    });
    return { labels, fields };
  } catch {
    return undefined;
  }
}

function termMatches(t: ParsedTerm, name: string, labels: Readonly<Record<string, string>>) {
  for (const f of t.fields) if ((name === f.name) !== f.in) return false;
  return t.labels.matches(labels);
}

/** `RequiredNodeAffinity`: the pod's node selector AND its required node affinity. */
export class RequiredNodeAffinity {
  private readonly selector: Selector | undefined;
  /** undefined: no required affinity; []: required affinity that matches nothing. */
  private readonly terms: ParsedTerm[] | undefined;

  constructor(pod: Readonly<Pod>) {
    const nodeSelector = pod.spec?.nodeSelector;
    if (nodeSelector && Object.keys(nodeSelector).length > 0) {
      this.selector = Selector.of(
        Object.entries(nodeSelector).map(([key, value]) => ({
          key,
          operator: '=',
          values: [value],
        })),
      );
    }
    const required = (pod.spec?.affinity as Json | undefined)?.nodeAffinity as Json | undefined;
    const ns = required?.requiredDuringSchedulingIgnoredDuringExecution as Json | undefined;
    if (ns) {
      const terms = (ns.nodeSelectorTerms as Json[] | undefined) ?? [];
      this.terms = terms.map(parseTerm).filter((t): t is ParsedTerm => t !== undefined);
    }
  }

  /** True when the pod constrains nodes at all. */
  get constrains(): boolean {
    return this.selector !== undefined || this.terms !== undefined;
  }

  /** `Match`: the node satisfies the node selector and one required term. */
  matches(node: Readonly<Node> | undefined): boolean {
    const labels = (node?.metadata?.labels ?? {}) as Record<string, string>;
    return this.matchesLabels(node?.metadata?.name ?? '', labels);
  }

  matchesLabels(name: string, labels: Readonly<Record<string, string>>): boolean {
    if (this.selector && !this.selector.matches(labels)) return false;
    if (this.terms === undefined) return true;
    for (const t of this.terms) if (termMatches(t, name, labels)) return true;
    return false;
  }
}

/** `PreferredSchedulingTerms`: the sum of the weights of the matching preferred terms. */
export class PreferredSchedulingTerms {
  private readonly terms: Array<{ weight: number; term: ParsedTerm }> = [];

  constructor(pod: Readonly<Pod>) {
    const na = (pod.spec?.affinity as Json | undefined)?.nodeAffinity as Json | undefined;
    for (const p of (na?.preferredDuringSchedulingIgnoredDuringExecution as Json[] | undefined) ??
      []) {
      const weight = (p.weight as number | undefined) ?? 0;
      const term = parseTerm(p.preference as Json | undefined);
      if (weight === 0 || !term) continue;
      this.terms.push({ weight, term });
    }
  }

  get empty(): boolean {
    return this.terms.length === 0;
  }

  score(name: string, labels: Readonly<Record<string, string>>): number {
    let total = 0;
    for (const { weight, term } of this.terms) if (termMatches(term, name, labels)) total += weight;
    return total;
  }
}
