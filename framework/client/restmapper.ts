/**
 * The REST mapper: from a group/version/kind to its plural resource and scope, learnt from the
 * server's discovery documents (`/api/v1`, `/apis/<group>/<version>`), as client-go's deferred
 * discovery mapper does. Built-in kinds are known without asking; other group-versions are fetched
 * on first use and cached. A kind missing from a cached group-version triggers one refetch (at most
 * every `refreshMs`), so CRDs created while the process runs are found.
 */
import { isNotFound } from '../../common/index.js';
import { defaultDiscoveryRefreshMs } from './defaults.js';
import { kinds } from './kinds.js';
import { groupVersionPath, type RestClient } from './rest.js';
import { apiVersionOf, type GroupVersionKind, type Kind } from './types.js';

/** Thrown when no resource serves a kind (client-go `NoKindMatchError`). */
export class NoKindMatchError extends Error {
  constructor(readonly gvk: GroupVersionKind) {
    super(`no matches for kind "${gvk.kind}" in version "${apiVersionOf(gvk)}"`);
    this.name = 'NoKindMatchError';
  }
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

interface CachedGroupVersion {
  at: number;
  byKind: Map<string, Kind>;
}

export interface RestMapperOptions {
  /** Kinds known without discovery. Default: the built-in catalogue. */
  known?: Kind[];
  refreshMs?: number;
}

export class RestMapper {
  private readonly known = new Map<string, Kind>();
  private readonly discovered = new Map<string, Promise<CachedGroupVersion>>();
  private readonly refreshMs: number;

  constructor(
    private readonly rest: RestClient,
    options: RestMapperOptions = {},
  ) {
    for (const k of options.known ?? Object.values(kinds)) this.register(k);
    this.refreshMs = options.refreshMs ?? defaultDiscoveryRefreshMs;
  }

  /** Teaches the mapper a kind (e.g. a custom resource declared in TypeScript). */
  register(kind: Kind): void {
    this.known.set(gvkKey(kind), kind);
  }

  /** The mapping of `gvk`; throws {@link NoKindMatchError} when the server does not serve it. */
  async mapping(gvk: GroupVersionKind): Promise<Kind> {
    const known = this.known.get(gvkKey(gvk));
    if (known) return known;
    const gv = apiVersionOf(gvk);
    let cached = await this.fetch(gv, gvk, false);
    let found = cached.byKind.get(gvk.kind);
    if (!found && this.rest.clock.now() - cached.at >= this.refreshMs) {
      cached = await this.fetch(gv, gvk, true);
      found = cached.byKind.get(gvk.kind);
    }
    if (!found) throw new NoKindMatchError(gvk);
    return found;
  }

  /** Forgets everything discovered (known kinds stay). */
  reset(): void {
    this.discovered.clear();
  }

  private fetch(gv: string, gvk: GroupVersionKind, force: boolean): Promise<CachedGroupVersion> {
    const existing = this.discovered.get(gv);
    if (existing && !force) return existing;
    const pending = this.load(gvk);
    this.discovered.set(gv, pending);
    pending.catch(() => {
      if (this.discovered.get(gv) === pending) this.discovered.delete(gv);
    });
    return pending;
  }

  private async load(gvk: GroupVersionKind): Promise<CachedGroupVersion> {
    const byKind = new Map<string, Kind>();
    try {
      const list = await this.rest.json<{ resources?: ApiResource[] }>({
        method: 'GET',
        path: groupVersionPath(gvk),
      });
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources
        byKind.set(r.kind, {
          group: gvk.group,
          version: gvk.version,
          kind: r.kind,
          plural: r.name,
          namespaced: r.namespaced,
        });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { at: this.rest.clock.now(), byKind };
  }
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}
