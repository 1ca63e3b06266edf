/**
 * A pod with what the plugins need precomputed once (upstream `framework.PodInfo`): its resource
 * requests, host ports, and its pod (anti-)affinity terms with their label selectors compiled.
 *
 * A PodInfo never changes; a new version of the pod gets a new PodInfo. Terms that do not parse
 * (a bad selector the API server let through) are dropped and reported in `parseErrors`, as
 * upstream ignores them "for backwards compatibility".
 */
import { labelSelectorFromObject, Selector, type LabelSelector } from '../../common/index.js';
import type { Pod } from '../../framework/index.js';
import { computePodResources, type PodResources } from './resources.js';

type Json = Record<string, unknown>;

/** A required pod (anti-)affinity term (upstream `fwk.AffinityTerm`). */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** `Selector.nothing()` for a term without a namespace selector. */
  readonly namespaceSelector: Selector;
  readonly selector: Selector;
  readonly topologyKey: string;
}

/** A preferred term with its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** A host port the pod binds (`ip` defaults to 0.0.0.0, `protocol` to TCP). */
export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export class PodInfo {
  /** The pod's UID (its name when it has none, as in tests). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly resources: PodResources;
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  readonly parseErrors: readonly string[];

  constructor(readonly pod: Readonly<Pod>) {
    const meta = pod.metadata ?? {};
    this.namespace = meta.namespace ?? '';
    this.name = meta.name ?? '';
    this.key = meta.uid ?? `${this.namespace}/${this.name}`;
    this.labels = (meta.labels ?? {}) as Record<string, string>;
    this.priority = pod.spec?.priority ?? 0;
    this.resources = computePodResources(pod);
    this.hostPorts = hostPortsOf(pod);
    const errors: string[] = [];
    const affinity = pod.spec?.affinity as Json | undefined;
    const podAffinity = affinity?.podAffinity as Json | undefined;
    const podAntiAffinity = affinity?.podAntiAffinity as Json | undefined;
    this.requiredAffinityTerms = requiredTerms(
      pod,
      podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      errors,
    );
    this.requiredAntiAffinityTerms = requiredTerms(
      pod,
      podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      errors,
    );
    this.preferredAffinityTerms = weightedTerms(
      pod,
      podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      errors,
    );
    this.preferredAntiAffinityTerms = weightedTerms(
      pod,
      podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      errors,
    );
    this.parseErrors = errors;
  }

  /** Has pod affinity or anti-affinity of any kind (`podWithAffinity`). */
  get hasAffinity(): boolean {
    const a = this.pod.spec?.affinity as Json | undefined;
    return !!a && (!!a.podAffinity || !!a.podAntiAffinity);
  }

  /** Has required anti-affinity terms (`podWithRequiredAntiAffinity`). */
  get hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }

  get deleting(): boolean {
    return !!this.pod.metadata?.deletionTimestamp;
  }

  get nodeName(): string {
    return this.pod.spec?.nodeName ?? '';
  }

  /** `metadata.uid` (empty for pods without one, as in unit tests). */
  get uid(): string {
    return this.pod.metadata?.uid ?? '';
  }

  /** The same pod with `spec.nodeName` set, keeping the computed fields (for assume). */
  withNodeName(nodeName: string): PodInfo {
    const pod = { ...this.pod, spec: { ...this.pod.spec!, nodeName } } as Readonly<Pod>;
    const copy = Object.create(PodInfo.prototype) as PodInfo;
    Object.assign(copy, this, { pod });
    return copy;
  }

  /** `GetPodStartTime`: `status.startTime`, else now (ms). */
  startTime(now: number): number {
    const t = this.pod.status?.startTime;
    const ms = t ? Date.parse(t) : NaN;
    return Number.isNaN(ms) ? now : ms;
  }
}

/** `AffinityTerm.Matches`: the pod is in the term's namespaces and matches its selector. */
export function termMatches(
  term: AffinityTerm,
  pod: PodInfo,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (term.namespaces.has(pod.namespace) || term.namespaceSelector.matches(namespaceLabels ?? {})) {
    return term.selector.matches(pod.labels);
  }
  return false;
}

/** `podMatchesAllAffinityTerms`: false for no terms. */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

function selectorOf(s: unknown): Selector {
  if (s === undefined || s === null) return Selector.nothing();
  return labelSelectorFromObject(s as LabelSelector);
}

/** `newAffinityTerm`: namespaces default to the pod's own when neither list nor selector is set. */
function newTerm(pod: Readonly<Pod>, raw: Json): AffinityTerm {
  const namespaces = new Set<string>();
  const list = (raw.namespaces as string[] | undefined) ?? [];
  if (
    list.length === 0 &&
    (raw.namespaceSelector === undefined || raw.namespaceSelector === null)
  ) {
    namespaces.add(pod.metadata?.namespace ?? '');
  } else {
    for (const n of list) namespaces.add(n);
  }
  return {
    namespaces,
    namespaceSelector: selectorOf(raw.namespaceSelector),
    selector: selectorOf(raw.labelSelector),
    topologyKey: (raw.topologyKey as string | undefined) ?? '',
  };
}

function requiredTerms(pod: Readonly<Pod>, raw: unknown, errors: string[]): AffinityTerm[] {
  const out: AffinityTerm[] = [];
  for (const t of (raw as Json[] | undefined) ?? []) {
    try {
      out.push(newTerm(pod, t));
    } catch (err) {
      errors.push(String((err as Error).message ?? err));
    }
  }
  return out;
}

function weightedTerms(pod: Readonly<Pod>, raw: unknown, errors: string[]): WeightedAffinityTerm[] {
  const out: WeightedAffinityTerm[] = [];
  for (const w of (raw as Json[] | undefined) ?? []) {
    try {
      const term = newTerm(pod, (w.podAffinityTerm as Json | undefined) ?? {});
      out.push({ ...term, weight: (w.weight as number | undefined) ?? 0 });
    } catch (err) {
      errors.push(String((err as Error).message ?? err));
    }
  }
  return out;
}

/**
 * The host ports of the pod's containers and sidecars (`hostPort > 0`), defaulted as
 * `HostPortInfo.sanitize` does.
 */
function hostPortsOf(pod: Readonly<Pod>): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec;
  const containers = [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({
        ip: p.hostIP || '0.0.0.0',
        protocol: p.protocol || 'TCP',
        port: p.hostPort,
      });
    }
  }
  return out;
}
