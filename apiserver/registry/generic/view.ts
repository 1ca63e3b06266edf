/**
 * A served version's view of a stored resource: converts objects between the storage version
 * and the served one (`ResourceType.conversion`, or for custom resources with conversion None a
 * plain apiVersion rewrite) and computes field-selector values.
 *
 * When the served version is the storage version (the usual case) the view is an identity:
 * cached JSON is served as is and the cache's precomputed field values are used.
 */
import type { KubeObject, ResourceType } from '../types.js';
import type { CachedObject } from '../../watchcache/types.js';
import { groupVersionString, storageApiVersion } from '../../server/typeregistry.js';

export class TypeView {
  readonly apiVersion: string;
  readonly storageVersion: string;
  readonly identity: boolean;
  private supported?: Set<string>;
  /** Read-only parses of cache entries (entries are immutable, so one parse serves them all). */
  private readonly readOnly = new WeakMap<CachedObject, Readonly<KubeObject>>();

  constructor(readonly type: ResourceType) {
    this.apiVersion = groupVersionString(type.group, type.version);
    this.storageVersion = storageApiVersion(type);
    this.identity = this.apiVersion === this.storageVersion;
  }

  /** A fresh, mutable served-version object from a stored one (which is not modified). */
  fromStorage(stored: KubeObject): KubeObject {
    if (this.type.conversion) return this.type.conversion.fromStorage(stored);
    if (this.identity) return stored;
    return { ...stored, apiVersion: this.apiVersion };
  }

  /** The storage-version object for a served one (which is not modified). */
  toStorage(obj: KubeObject): KubeObject {
    if (this.type.conversion) return this.type.conversion.toStorage(obj);
    if (this.identity) return obj;
    return { ...obj, apiVersion: this.storageVersion };
  }

  /** A mutable served-version copy of a cache entry. */
  parse(entry: CachedObject): KubeObject {
    return this.fromStorage(JSON.parse(entry.json) as KubeObject);
  }

  /**
   * The served-version object of a cache entry, parsed once per entry and deep-frozen: callers
   * share it and must not change it (use {@link TypeView.parse} for a mutable copy).
   */
  readOnlyParse(entry: CachedObject): Readonly<KubeObject> {
    let obj = this.readOnly.get(entry);
    if (!obj) {
      obj = deepFreeze(this.parse(entry));
      this.readOnly.set(entry, obj);
    }
    return obj;
  }

  /** The served-version JSON of a cache entry. */
  json(entry: CachedObject): string {
    return this.identity && !this.type.conversion ? entry.json : JSON.stringify(this.parse(entry));
  }

  /** Field-selector values of an object of this version. */
  fieldLabels(obj: KubeObject): Record<string, string> {
    if (this.type.fieldLabels) return this.type.fieldLabels(obj);
    const out: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
    if (this.type.namespaced) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
    return out;
  }

  /** Field-selector values of a cache entry, from the cache when this view is the identity. */
  entryFields(entry: CachedObject): Readonly<Record<string, string>> {
    if (this.identity && !this.type.conversion) return entry.fields;
    return this.fieldLabels(this.parse(entry));
  }

  /** The field names a field selector may use on this version. */
  supportedFields(): Set<string> {
    if (!this.supported) {
      let keys: string[];
      try {
        keys = Object.keys(this.fieldLabels({ metadata: { name: '', namespace: '' } }));
      } catch {
        keys = ['metadata.name', ...(this.type.namespaced ? ['metadata.namespace'] : [])];
      }
      this.supported = new Set(keys);
    }
    return this.supported;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
