/**
 * The framework runtime (upstream `framework/runtime/framework.go`): runs the profile's plugins
 * at each extension point, in registration order, with upstream's rules:
 *
 * - PreFilter: a Skip disables that plugin's Filter for the cycle; the first rejection stops the
 *   cycle; node sets returned by plugins are intersected.
 * - Filter: stops at the first failing plugin; the status names it.
 * - Filter with nominated pods: when higher-or-equal priority pods are nominated to the node, the
 *   filters run with them counted, and — if that passes — again without them.
 * - PreScore: a Skip removes the plugin from Score for the cycle.
 * - Score: each plugin's scores are normalised, multiplied by its weight and summed per node.
 * - PostFilter: the first plugin that succeeds wins; rejections' reasons are joined.
 *
 * A plugin that throws is turned into an Error status naming it; the scheduler never crashes on a
 * plugin bug.
 */
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import type { Nominator } from '../queue/nominator.js';
import type { ClusterEvent } from '../queue/events.js';
import { CycleState } from './cyclestate.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  NodeToStatus,
  Plugin,
  PostFilterOutcome,
  PostFilterPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  ScorePlugin,
} from './interfaces.js';
import { asErrorStatus, Code, Status, unresolvable } from './status.js';

export interface PreFilterRun {
  /** Candidate node names, undefined for all nodes. */
  nodeNames?: ReadonlySet<string>;
  status?: Status;
  /** Plugins that rejected the pod. */
  unschedulablePlugins: Set<string>;
}

function has<K extends string>(p: Plugin, method: K): p is Plugin & Record<K, unknown> {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

export class Framework {
  readonly preEnqueuePlugins: PreEnqueuePlugin[];
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly postFilterPlugins: PostFilterPlugin[];
  readonly scorePlugins: Array<{ plugin: ScorePlugin; weight: number }>;

  constructor(
    readonly plugins: readonly Plugin[],
    weights: Readonly<Record<string, number>>,
    readonly handle: Handle,
    private readonly nominator?: Nominator,
  ) {
    this.preEnqueuePlugins = plugins.filter((p) => has(p, 'preEnqueue')) as PreEnqueuePlugin[];
    this.preFilterPlugins = plugins.filter((p) => has(p, 'preFilter')) as PreFilterPlugin[];
    this.filterPlugins = plugins.filter((p) => has(p, 'filter')) as FilterPlugin[];
    this.postFilterPlugins = plugins.filter((p) => has(p, 'postFilter')) as PostFilterPlugin[];
    this.scorePlugins = plugins
      .filter((p) => has(p, 'score') && (weights[p.name] ?? 0) > 0)
      .map((p) => ({ plugin: p as ScorePlugin, weight: weights[p.name]! }));
  }

  /** The events each plugin registered (for the queue). */
  pluginEvents(): Map<string, readonly ClusterEvent[]> {
    const m = new Map<string, readonly ClusterEvent[]>();
    for (const p of this.plugins) {
      if (has(p, 'eventsToRegister'))
        m.set(p.name, (p as unknown as EnqueueExtensions).eventsToRegister());
    }
    return m;
  }

  /** The first PreEnqueue rejection, attributed to its plugin. */
  runPreEnqueue(pod: PodInfo): Status | undefined {
    for (const p of this.preEnqueuePlugins) {
      const s = guard(p, () => p.preEnqueue(pod));
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return undefined;
  }

  /**
   * `RunPreFilterPlugins`. On success `unschedulablePlugins` holds the plugins that narrowed the
   * node set (upstream `pluginsWithNodes`); on rejection, the rejecting plugin.
   */
  runPreFilter(state: CycleState, pod: PodInfo): PreFilterRun {
    const run: PreFilterRun = { unschedulablePlugins: new Set() };
    let names: Set<string> | undefined;
    let rejected: Status | undefined;
    const withNodes: string[] = [];
    for (const p of this.preFilterPlugins) {
      const out = guard(p, () => p.preFilter(state, pod));
      const status = out instanceof Status ? out : out?.status;
      if (status?.code === Code.Skip) {
        state.skipFilter.add(p.name);
        continue;
      }
      if (status && status.code !== Code.Success) {
        const s = status.withPlugin(p.name);
        if (s.code === Code.Unschedulable) {
          // Preemption may still help: run the remaining PreFilters (upstream #119770).
          rejected ??= s;
          continue;
        }
        if (s.isRejected()) run.unschedulablePlugins.add(p.name);
        run.status = wrapError(s, `running PreFilter plugin "${p.name}"`);
        return run;
      }
      const result = out instanceof Status ? undefined : out?.result;
      if (result) {
        withNodes.push(p.name);
        names = names
          ? new Set([...names].filter((n) => result.nodeNames.has(n)))
          : new Set(result.nodeNames);
        if (names.size === 0) {
          const sorted = [...withNodes].sort();
          run.status = unresolvable(
            sorted.length === 1
              ? `node(s) didn't satisfy plugin ${sorted[0]}`
              : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`,
          );
          for (const n of sorted) run.unschedulablePlugins.add(n);
          return run;
        }
      }
    }
    for (const n of withNodes) run.unschedulablePlugins.add(n);
    if (rejected) {
      run.unschedulablePlugins.add(rejected.plugin);
      run.status = rejected;
      return run;
    }
    run.nodeNames = names;
    return run;
  }

  /** Every filter, stopping at the first failure. */
  runFilter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const plugins = (state.activeFilters ??= this.filterPlugins.filter(
      (p) => !state.skipFilter.has(p.name),
    )) as FilterPlugin[];
    let i = 0;
    try {
      for (; i < plugins.length; i++) {
        const p = plugins[i]!;
        const s = p.filter(state, pod, nodeInfo);
        if (s && s.code !== Code.Success) {
          return wrapError(s.withPlugin(p.name), `running "${p.name}" filter plugin`);
        }
      }
    } catch (err) {
      const name = plugins[i]!.name;
      return wrapError(asErrorStatus(err).withPlugin(name), `running "${name}" filter plugin`);
    }
    return undefined;
  }

  /** `RunFilterPluginsWithNominatedPods`. */
  runFilterWithNominatedPods(
    state: CycleState,
    pod: PodInfo,
    nodeInfo: NodeInfo,
  ): Status | undefined {
    if (!this.nominator || this.nominator.empty) return this.runFilter(state, pod, nodeInfo);
    const nominated = this.nominator.podsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilter(state, pod, nodeInfo);
    let added = false;
    let stateOut = state;
    let infoOut = nodeInfo;
    for (const np of nominated) {
      if (np.priority < pod.priority || np.key === pod.key) continue;
      if (!added) {
        stateOut = state.clone();
        infoOut = nodeInfo.clone();
        added = true;
      }
      infoOut.addPod(np);
      const s = this.runPreFilterAddPod(stateOut, pod, np, infoOut);
      if (s) return s;
    }
    const first = this.runFilter(stateOut, pod, infoOut);
    if (!added || first) return first;
    return this.runFilter(state, pod, nodeInfo);
  }

  runPreFilterAddPod(state: CycleState, pod: PodInfo, added: PodInfo, n: NodeInfo) {
    for (const p of this.preFilterPlugins) {
      if (!p.addPod || state.skipFilter.has(p.name)) continue;
      const s = guard(p, () => p.addPod!(state, pod, added, n));
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return undefined;
  }

  runPreFilterRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, n: NodeInfo) {
    for (const p of this.preFilterPlugins) {
      if (!p.removePod || state.skipFilter.has(p.name)) continue;
      const s = guard(p, () => p.removePod!(state, pod, removed, n));
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return undefined;
  }

  runPostFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): PostFilterOutcome {
    const reasons: string[] = [];
    let result: PostFilterOutcome['result'];
    for (const p of this.postFilterPlugins) {
      let out: PostFilterOutcome;
      try {
        out = p.postFilter(state, pod, statuses);
      } catch (err) {
        return { status: asErrorStatus(err).withPlugin(p.name) };
      }
      if (!out.status || out.status.code === Code.Success) return out;
      if (!out.status.isRejected()) return { status: out.status.withPlugin(p.name) };
      reasons.push(...out.status.reasons);
      result ??= out.result;
    }
    return { result, status: new Status(Code.Unschedulable, reasons) };
  }

  /** PreScore then Score: the weighted total of every node (aligned with `nodes`). */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] | Status {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.scorePlugins) {
      if (plugin.preScore) {
        const s = guard(plugin, () => plugin.preScore!(state, pod, nodes));
        if (s?.code === Code.Skip) continue;
        if (s && s.code !== Code.Success) {
          return wrapError(s.withPlugin(plugin.name), `running PreScore plugin "${plugin.name}"`);
        }
      }
      const scores = new Array<number>(nodes.length);
      try {
        for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]!);
        plugin.normalizeScore?.(state, pod, scores, nodes);
      } catch (err) {
        return wrapError(asErrorStatus(err).withPlugin(plugin.name), 'running Score plugins');
      }
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * weight;
    }
    return totals;
  }
}

/** An Error status wrapped the way upstream's runtime reports it (`running … plugin "X": …`). */
function wrapError(s: Status, prefix: string): Status {
  if (s.code !== Code.Error) return s;
  const wrapped = new Status(Code.Error, [`${prefix}: ${s.message()}`]);
  wrapped.plugin = s.plugin;
  return wrapped;
}

function guard<T>(p: Plugin, fn: () => T): T | Status {
  try {
    return fn();
  } catch (err) {
    return asErrorStatus(err).withPlugin(p.name);
  }
}

export { CycleState };
