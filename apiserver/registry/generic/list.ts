/**
 * Lists with upstream's resourceVersion semantics, served from the watch cache whenever it can
 * answer and from storage otherwise:
 *
 * | resourceVersion | resourceVersionMatch | served                                                      |
 * | --------------- | -------------------- | ----------------------------------------------------------- |
 * | unset           | —                    | consistent: at least the store's current revision           |
 * | "0"             | —                    | any: the cache as it is                                     |
 * | N               | NotOlderThan (or unset without limit) | at least N (504 if the cache cannot reach N) |
 * | N               | Exact (or unset with a limit) | exactly N (410 when N is older than history)        |
 *
 * Paging: `limit` cuts a page; `continue` resumes at the token's revision and key. Items come in
 * key order (namespace, then name). `remainingItemCount` is set only without selectors, as
 * upstream. A token older than what the cache and storage keep → 410 Expired with a fresh token
 * that continues (inconsistently) at the latest revision. With resourceVersion "0" (and no
 * `continue`) the cache ignores `limit` and answers the whole list, as 1.33's cacher does
 * (`computeListLimit`: "the limit is ignored for requests that set RV == 0").
 *
 * Cost from the cache: a page is O(page + log n) — a B-tree seek to the start key, the page's
 * items, and a counted-tree rank for `remainingItemCount`. The snapshot a `continue` token names
 * is retained by the cache, so later pages read it directly (see `watchcache/state.ts`). With a
 * selector a page scans until it has `limit` matches, and announces more as soon as one more
 * object follows, matching or not (upstream's cacher does the same); the last page may then be
 * empty.
 */
import { newBadRequest, newResourceExpired, StatusError } from '../../../common/index.js';
import type { Selector } from '../../../common/index.js';
import { CompactedError, FutureRevisionError } from '../../../store/index.js';
import type { FieldSelector } from '../../fields/selector.js';
import { decodeContinue, encodeContinue, keyAfter } from '../../storage/continue.js';
import { tooLargeResourceVersion } from '../../watchcache/cacher.js';
import type { CacheSnapshot } from '../../watchcache/state.js';
import type { CachedObject } from '../../watchcache/types.js';
import type { GenericStore } from './store.js';

export interface ListParams {
  namespace: string;
  labelSelector: Selector;
  fieldSelector: FieldSelector;
  /** 0 = no limit. */
  limit: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListOutcome {
  items: CachedObject[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

const expiredList = 'The resourceVersion for the provided list is too old.';
const expiredContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Where a list is read: the cache (at a revision) or storage (at a revision or latest). */
type Plan =
  | { kind: 'exact'; rv: number }
  | { kind: 'consistent' }
  | { kind: 'any' }
  | { kind: 'notOlderThan'; rv: number };

export async function listObjects(store: GenericStore, p: ListParams): Promise<ListOutcome> {
  const prefix = narrowPrefix(store, p);
  let startKey = prefix;
  let plan: Plan;
  if (p.continue) {
    if (p.resourceVersion && p.resourceVersion !== '0') {
      throw newBadRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(p.continue, store.listPrefix(p.namespace));
    startKey = token.startKey;
    plan = token.rv === -1 ? { kind: 'consistent' } : { kind: 'exact', rv: token.rv };
  } else if (p.resourceVersion === undefined || p.resourceVersion === '') {
    plan = { kind: 'consistent' };
  } else if (p.resourceVersion === '0' && p.resourceVersionMatch !== 'Exact') {
    plan = { kind: 'any' };
  } else {
    const rv = parseResourceVersion(p.resourceVersion);
    const exact =
      p.resourceVersionMatch === 'Exact' || (p.resourceVersionMatch === undefined && p.limit > 0);
    plan = exact ? { kind: 'exact', rv } : { kind: 'notOlderThan', rv };
  }

  const cacher = store.cacher;
  const filter = selectionFilter(store, p);
  const ctx: PageContext = {
    prefix,
    startKey,
    filter,
    p,
    store,
    limit: p.limit,
    continued: p.continue !== undefined,
  };
  switch (plan.kind) {
    case 'any':
      if (cacher.isReady()) return page({ ...ctx, limit: 0 }, cacher.snapshot());
      return fromStorage(ctx, undefined);
    case 'consistent': {
      const current = await store.storage.currentRevision();
      if (cacher.isReady() && (cacher.progressReliable || cacher.revision >= current)) {
        try {
          await cacher.waitUntilFresh(current);
          return page(ctx, cacher.snapshot());
        } catch (err) {
          if (!(err instanceof StatusError) || err.code !== 504) throw err;
        }
      }
      return fromStorage(ctx, undefined);
    }
    case 'notOlderThan':
      if (cacher.isReady() && (cacher.progressReliable || cacher.revision >= plan.rv)) {
        await cacher.waitUntilFresh(plan.rv);
        return page(ctx, cacher.snapshot());
      }
      return fromStorage(ctx, undefined, plan.rv);
    case 'exact':
      if (
        cacher.isReady() &&
        plan.rv >= cacher.floor &&
        (cacher.progressReliable || plan.rv <= cacher.revision)
      ) {
        if (plan.rv > cacher.revision) await cacher.waitUntilFresh(plan.rv);
        return page(ctx, cacher.snapshot(plan.rv));
      }
      return fromStorage(ctx, plan.rv);
  }
}

/** Parses a resourceVersion parameter (a positive integer); 400 otherwise, as upstream. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw newBadRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return Number(rv);
}

/**
 * The smallest key prefix the request can touch: the namespace from the URL, or the one a
 * `metadata.namespace=` field selector pins on an all-namespaces list.
 */
function narrowPrefix(store: GenericStore, p: ListParams): string {
  let ns = p.namespace;
  if (!ns && store.type.namespaced) {
    const pinned = p.fieldSelector.requiresExactMatch('metadata.namespace');
    if (pinned && !pinned.includes('/')) ns = pinned;
  }
  return store.listPrefix(ns);
}

/** The predicate of label and field selectors over cache entries. */
export function selectionFilter(
  store: GenericStore,
  p: Pick<ListParams, 'labelSelector' | 'fieldSelector'>,
): ((o: CachedObject) => boolean) | undefined {
  const labels = p.labelSelector.isEmpty() ? undefined : p.labelSelector;
  const fields = p.fieldSelector.isEmpty() ? undefined : p.fieldSelector;
  if (!labels && !fields) return undefined;
  return (o) =>
    (!labels || labels.matches(o.labels)) && (!fields || fields.matches(store.view.entryFields(o)));
}

interface PageContext {
  prefix: string;
  startKey: string;
  filter?: (o: CachedObject) => boolean;
  p: ListParams;
  store: GenericStore;
  /** The page size the cache applies (0 = all). */
  limit: number;
  continued: boolean;
}

/** One page from a cache snapshot; retains the snapshot when a `continue` token points at it. */
function page(ctx: PageContext, snapshot: CacheSnapshot): ListOutcome {
  const { filter, limit } = ctx;
  const items: CachedObject[] = [];
  let more = false;
  for (const o of snapshot.scan(ctx.prefix, ctx.startKey)) {
    if (limit > 0 && items.length >= limit) {
      more = true;
      break;
    }
    if (!filter || filter(o)) items.push(o);
  }
  const out: ListOutcome = { items, resourceVersion: snapshot.revision };
  if (more) {
    const next = keyAfter(items[items.length - 1]!.key);
    out.continue = encodeContinue(next, ctx.store.listPrefix(ctx.p.namespace), snapshot.revision);
    if (!filter) out.remainingItemCount = snapshot.count(ctx.prefix, next);
    ctx.store.cacher.retain(snapshot);
  }
  return out;
}

/** One page read from storage at `revision` (latest when undefined), filtering as it goes. */
async function fromStorage(
  ctx: PageContext,
  revision: number | undefined,
  notOlderThan?: number,
): Promise<ListOutcome> {
  const { store, p, filter } = ctx;
  const items: CachedObject[] = [];
  let startKey = ctx.startKey;
  let readAt = revision;
  let more = false;
  let remaining: number | undefined;
  try {
    for (;;) {
      const want = p.limit > 0 ? p.limit - items.length + 1 : 0;
      const res = await store.storage.list(ctx.prefix, {
        revision: readAt,
        startKey: startKey > ctx.prefix ? startKey : undefined,
        limit: want,
      });
      readAt = res.revision;
      if (notOlderThan !== undefined && res.revision < notOlderThan) {
        throw tooLargeResourceVersion(notOlderThan, res.revision);
      }
      let taken = 0;
      for (const kv of res.kvs) {
        taken++;
        const o = store.cacher.decode(kv);
        if (filter && !filter(o)) continue;
        if (p.limit > 0 && items.length >= p.limit) {
          more = true;
          if (!filter) remaining = res.count - taken + 1;
          break;
        }
        items.push(o);
      }
      if (more || !res.more || res.kvs.length === 0) break;
      startKey = keyAfter(res.kvs[res.kvs.length - 1]!.key);
    }
  } catch (err) {
    if (err instanceof CompactedError) {
      if (ctx.continued) {
        const expired = newResourceExpired(expiredContinue);
        (expired.status.metadata as Record<string, string>).continue = encodeContinue(
          ctx.startKey,
          store.listPrefix(p.namespace),
          -1,
        );
        throw expired;
      }
      throw newResourceExpired(expiredList);
    }
    if (err instanceof FutureRevisionError) {
      throw tooLargeResourceVersion(revision ?? 0, await store.storage.currentRevision());
    }
    throw err;
  }
  const out: ListOutcome = { items, resourceVersion: readAt ?? 0 };
  if (more) {
    out.continue = encodeContinue(
      keyAfter(items[items.length - 1]!.key),
      store.listPrefix(p.namespace),
      readAt!,
    );
    if (remaining !== undefined) out.remainingItemCount = remaining;
  }
  return out;
}
