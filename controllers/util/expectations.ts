/**
 * `UIDTrackingControllerExpectations`: the framework's {@link Expectations} plus, for deletions,
 * the keys of the pods expected to go. A deletion is observed at most once per pod, whether the
 * informer reports it as the deletionTimestamp update or as the final delete, so one pod can never
 * satisfy two expected deletions.
 */
import { Expectations, type Clock } from '../../framework/index.js';

export class UIDTrackingExpectations {
  private readonly inner: Expectations;
  private readonly keys = new Map<string, Set<string>>();

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.inner = new Expectations(options);
  }

  /** Expects `adds` creations for `controllerKey`, replacing what was expected. */
  expectCreations(controllerKey: string, adds: number): void {
    this.inner.expectCreations(controllerKey, adds);
  }

  creationObserved(controllerKey: string): void {
    this.inner.creationObserved(controllerKey);
  }

  /**
   * Expects `adds` creations and the deletion of exactly these pods together, replacing what was
   * expected (`SetExpectations`, as the DaemonSet controller sets both in one sync).
   */
  setExpectations(controllerKey: string, adds: number, podKeys: readonly string[]): void {
    this.keys.set(controllerKey, new Set(podKeys));
    this.inner.setExpectations(controllerKey, adds, podKeys.length);
  }

  /** Expects the deletion of exactly these pods (`namespace/name` keys). */
  expectDeletions(controllerKey: string, podKeys: readonly string[]): void {
    this.keys.set(controllerKey, new Set(podKeys));
    this.inner.expectDeletions(controllerKey, podKeys.length);
  }

  /** Counts the deletion of `podKey` if it was expected and not counted yet. */
  deletionObserved(controllerKey: string, podKey: string): void {
    const expected = this.keys.get(controllerKey);
    if (!expected?.has(podKey)) return;
    expected.delete(podKey);
    this.inner.deletionObserved(controllerKey);
  }

  /** Nothing pending, everything observed, or the record expired (5 min). */
  satisfied(controllerKey: string): boolean {
    return this.inner.satisfied(controllerKey);
  }

  /** Forgets the controller (it was deleted). */
  delete(controllerKey: string): void {
    this.inner.delete(controllerKey);
    this.keys.delete(controllerKey);
  }

  get(controllerKey: string): { adds: number; dels: number } | undefined {
    return this.inner.get(controllerKey);
  }
}
