/**
 * Per-cycle plugin state (upstream `fwk.CycleState`): PreFilter/PreScore results keyed by plugin,
 * and the plugins that asked to be skipped. Preemption clones it per candidate node; values that
 * change during preemption implement {@link StateData.clone}.
 */

/** State a plugin keeps across extension points; cloned for each preemption candidate. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData | unknown>();
  /** Plugins whose Filter is skipped (their PreFilter returned Skip). */
  readonly skipFilter = new Set<string>();
  /** Plugins whose Score is skipped (their PreScore returned Skip). */
  readonly skipScore = new Set<string>();
  /** The filters left after PreFilter's skips (computed by the runtime on first use). */
  activeFilters: unknown[] | undefined;

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** A copy in which cloneable values are cloned (`CycleState.Clone`). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cloneable = v as Partial<StateData> | undefined;
      c.data.set(k, typeof cloneable?.clone === 'function' ? cloneable.clone() : v);
    }
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    c.activeFilters = this.activeFilters;
    return c;
  }
}
