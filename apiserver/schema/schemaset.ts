/**
 * A {@link SchemaSet} is a named collection of schema definitions with an index from
 * group/version/kind to the definition that describes it. It is the registry every schema
 * consumer reads: the OpenAPI service, strategic merge patch, server-side apply and field
 * validation.
 *
 * Guarantees:
 * - The base definitions (the built-in types) are built lazily, on the first lookup, exactly once.
 * - Definitions registered later ({@link SchemaSet.register}, e.g. for a CustomResourceDefinition)
 *   shadow base definitions of the same name and are removed again by
 *   {@link SchemaSet.unregister} with the owner they were registered under.
 * - {@link SchemaSet.generation} increases on every register/unregister, and listeners added with
 *   {@link SchemaSet.onChange} are called synchronously after each change, so caches built from
 *   the set (OpenAPI documents) can be invalidated.
 * - Definitions handed out are shared, not copied: callers must not mutate them.
 */
import type { GroupVersionKind, Schema } from './types.js';
import { gvkKey } from './types.js';

/** What one owner registered. */
interface Registration {
  definitions: Map<string, Schema>;
}

export class SchemaSet {
  private base?: Map<string, Schema>;
  private baseKinds?: Map<string, string>;
  private readonly overlays = new Map<string, Registration>();
  private overlayDefs = new Map<string, Schema>();
  private overlayKinds = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private gen = 0;

  /** @param loadBase builds the base definitions; called at most once, on first use. */
  constructor(private readonly loadBase: () => Map<string, Schema> = () => new Map()) {}

  /** Increases on every change to the registered definitions. */
  get generation(): number {
    return this.gen;
  }

  /** The definition with this name, or undefined. */
  get(name: string): Schema | undefined {
    return this.overlayDefs.get(name) ?? this.baseDefs().get(name);
  }

  /** True when a definition with this name exists. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The name of the definition tagged with this GVK, or undefined. */
  nameForKind(gvk: GroupVersionKind): string | undefined {
    this.baseDefs();
    const key = gvkKey(gvk);
    return this.overlayKinds.get(key) ?? this.baseKinds!.get(key);
  }

  /** The definition tagged with this GVK, or undefined. */
  forKind(gvk: GroupVersionKind): Schema | undefined {
    const name = this.nameForKind(gvk);
    return name === undefined ? undefined : this.get(name);
  }

  /** All definition names, base and registered, sorted. */
  names(): string[] {
    const all = new Set([...this.baseDefs().keys(), ...this.overlayDefs.keys()]);
    return [...all].sort();
  }

  /** Follows `$ref`s until a node without one; returns undefined for a dangling reference. */
  resolve(schema: Schema | undefined): Schema | undefined {
    let node = schema;
    for (let hops = 0; node?.$ref !== undefined; hops++) {
      if (hops > 64) return undefined;
      node = this.get(node.$ref);
    }
    return node;
  }

  /**
   * Registers (or replaces) the definitions of one owner, e.g. `crd:crontabs.stable.example.com`.
   * Kinds are indexed from each definition's `x-kubernetes-group-version-kind`.
   */
  register(owner: string, definitions: Record<string, Schema>): void {
    this.overlays.set(owner, { definitions: new Map(Object.entries(definitions)) });
    this.rebuildOverlays();
  }

  /** Removes everything `owner` registered; a no-op for an unknown owner. */
  unregister(owner: string): void {
    if (this.overlays.delete(owner)) this.rebuildOverlays();
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private baseDefs(): Map<string, Schema> {
    if (!this.base) {
      this.base = this.loadBase();
      this.baseKinds = indexKinds(this.base);
    }
    return this.base;
  }

  private rebuildOverlays(): void {
    const defs = new Map<string, Schema>();
    for (const reg of this.overlays.values()) {
      for (const [name, schema] of reg.definitions) defs.set(name, schema);
    }
    this.overlayDefs = defs;
    this.overlayKinds = indexKinds(defs);
    this.gen++;
    for (const listener of this.listeners) listener();
  }
}

function indexKinds(defs: Map<string, Schema>): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, schema] of defs) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      kinds.set(gvkKey(gvk), name);
    }
  }
  return kinds;
}
