/**
 * Starting a watch from the cache, with upstream's resourceVersion semantics:
 *
 * - unset or "0": the current state as ADDED events, then changes (`sendInitialEvents=false`:
 *   changes only).
 * - N: changes after N. Below the cache's history → the watch is accepted (HTTP 200) and ends
 *   with one ERROR event, 410 Expired `too old resource version: N (floor)`. Above the cache's
 *   revision → accepted; events flow once the cache passes N.
 * - `sendInitialEvents=true` (watch-list): waits until the cache is at least as fresh as N (or
 *   as the store, when N is unset) — 504 after the timeout — then sends the state as ADDED
 *   events and a BOOKMARK annotated `k8s.io/initial-events-end: "true"`.
 *
 * Selectors narrow the key range where they can (`metadata.namespace=`, `metadata.name=`).
 */
import { newResourceExpired, type Selector, type StatusError } from '../../../common/index.js';
import type { FieldSelector } from '../../fields/selector.js';
import type { CacheWatcher, WatchSink } from '../../watchcache/watcher.js';
import { parseResourceVersion, selectionFilter } from './list.js';
import type { GenericStore } from './store.js';

export interface WatchParams {
  namespace: string;
  labelSelector: Selector;
  fieldSelector: FieldSelector;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  /** Clock ms at which the handler will end the watch. */
  deadline?: number;
}

export type WatchStart =
  | { kind: 'watching'; watcher: CacheWatcher }
  /** The watch is accepted but ends at once with this error as an ERROR event. */
  | { kind: 'error'; status: StatusError };

/**
 * Registers a watcher delivering to `sink`. Errors thrown (rather than returned) happen before
 * the stream starts and are plain HTTP errors.
 */
export async function startWatch(
  store: GenericStore,
  p: WatchParams,
  sink: WatchSink,
): Promise<WatchStart> {
  const cacher = store.cacher;
  const rvParam = p.resourceVersion ?? '';
  const rv = rvParam === '' ? undefined : parseResourceVersion(rvParam);
  await cacher.waitReady();

  let ns = p.namespace;
  if (!ns && store.type.namespaced) {
    const pinned = p.fieldSelector.requiresExactMatch('metadata.namespace');
    if (pinned && !pinned.includes('/')) ns = pinned;
  }
  const prefix = store.listPrefix(ns);
  const name = p.fieldSelector.requiresExactMatch('metadata.name');
  const exactKey =
    name !== undefined && (ns || !store.type.namespaced) ? store.key(ns, name) : undefined;
  const selection = selectionFilter(store, p);
  const filter = exactKey
    ? (o: Parameters<NonNullable<typeof selection>>[0]) =>
        o.key === exactKey && (!selection || selection(o))
    : selection;

  const base = {
    prefix,
    filter,
    sink,
    allowBookmarks: p.allowWatchBookmarks,
    deadline: p.deadline,
  };

  if (p.sendInitialEvents === true) {
    // Without reliable progress notifications the cache cannot prove it reached the store's
    // revision, so an unset resourceVersion means "the cache as it is" (as "0" does).
    const required = rv ?? (cacher.progressReliable ? await store.storage.currentRevision() : 0);
    await cacher.waitUntilFresh(required);
    const watcher = cacher.watch({ ...base, startRv: 0, initial: true, initialEventsEnd: true });
    return { kind: 'watching', watcher };
  }
  if (rv === undefined || rv === 0) {
    const initial = p.sendInitialEvents !== false;
    const watcher = cacher.watch({ ...base, startRv: cacher.revision, initial });
    return { kind: 'watching', watcher };
  }
  if (rv < cacher.floor) {
    return {
      kind: 'error',
      status: newResourceExpired(`too old resource version: ${rv} (${cacher.floor})`),
    };
  }
  return { kind: 'watching', watcher: cacher.watch({ ...base, startRv: rv }) };
}
