/**
 * Upstream `EndpointSliceTracker`: the generation of every slice this controller wrote, per
 * Service, and the slices it deleted. It tells the controller whether its informer cache is stale
 * (a sync would then act on old data) and whether a slice event is just the echo of its own write.
 */
import type { EndpointSlice } from '../../framework/index.js';
import { labelServiceName } from './defaults.js';

const deletionExpected = -1;

export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private keyOf(slice: Readonly<EndpointSlice>): string {
    return `${slice.metadata?.namespace}/${slice.metadata?.labels?.[labelServiceName] ?? ''}`;
  }

  private generations(
    slice: Readonly<EndpointSlice>,
    create = false,
  ): Map<string, number> | undefined {
    const key = this.keyOf(slice);
    let g = this.byService.get(key);
    if (!g && create) this.byService.set(key, (g = new Map()));
    return g;
  }

  /** True when the slice is tracked (written or deleted by us). */
  has(slice: Readonly<EndpointSlice>): boolean {
    return this.generations(slice)?.has(slice.metadata?.uid ?? '') ?? false;
  }

  /** True when the slice is unknown or newer than what we wrote: someone else changed it. */
  shouldSync(slice: Readonly<EndpointSlice>): boolean {
    const g = this.generations(slice)?.get(slice.metadata?.uid ?? '');
    return g === undefined || (slice.metadata?.generation ?? 0) > g;
  }

  /**
   * True when `slices` (what the cache holds for the Service) is older than what we wrote: a slice
   * has an older generation, one we deleted is still there, or one we wrote is missing.
   */
  staleSlices(
    namespace: string,
    service: string,
    slices: readonly Readonly<EndpointSlice>[],
  ): boolean {
    const g = this.byService.get(`${namespace}/${service}`);
    if (!g) return false;
    const provided = new Set<string>();
    for (const slice of slices) {
      const uid = slice.metadata?.uid ?? '';
      provided.add(uid);
      const tracked = g.get(uid);
      if (tracked === undefined) continue;
      if (tracked === deletionExpected || tracked > (slice.metadata?.generation ?? 0)) return true;
    }
    for (const [uid, tracked] of g) {
      if (tracked !== deletionExpected && !provided.has(uid)) return true;
    }
    return false;
  }

  /** Records a slice as written. */
  update(slice: Readonly<EndpointSlice>): void {
    this.generations(slice, true)!.set(slice.metadata?.uid ?? '', slice.metadata?.generation ?? 0);
  }

  /** Records a slice as deleted by us. */
  expectDeletion(slice: Readonly<EndpointSlice>): void {
    this.generations(slice, true)!.set(slice.metadata?.uid ?? '', deletionExpected);
  }

  /** Forgets a deleted slice; false when we did not expect its deletion. */
  handleDeletion(slice: Readonly<EndpointSlice>): boolean {
    const g = this.generations(slice);
    const uid = slice.metadata?.uid ?? '';
    const tracked = g?.get(uid);
    g?.delete(uid);
    return tracked === undefined || tracked === deletionExpected;
  }

  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
  }
}
