/**
 * A set of field paths, stored as a trie like structured-merge-diff's `fieldpath.Set`: at each
 * level, `members` are paths that end here and `children` hold longer paths. A path can be both a
 * member and a prefix of others (`.metadata.labels` itself and `.metadata.labels.app`).
 *
 * Set operations return new sets and may share unchanged subtrees with their inputs; only sets
 * built with {@link FieldSet.insert} by their owner are ever mutated.
 *
 * `fieldsV1` is the serialized form stored in `metadata.managedFields[].fieldsV1`:
 * `{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`, keys in path-element order.
 */
import type { Path, PathElement } from './fieldpath.js';
import { comparePathElements, deserializePathElement, serializePathElement } from './fieldpath.js';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

/** Shared by every set that has no members or no children yet; never written to. */
const noMembers: ReadonlyMap<string, PathElement> = new Map();
const noChildren: ReadonlyMap<string, Child> = new Map();

export class FieldSet {
  // Most levels of most sets have no members or no children: their maps are allocated on first
  // write (the sets of every write's managedFields are built and thrown away).
  private members = noMembers as Map<string, PathElement>;
  private children = noChildren as Map<string, Child>;

  private ownMembers(): Map<string, PathElement> {
    if (this.members === noMembers) this.members = new Map();
    return this.members;
  }

  private ownChildren(): Map<string, Child> {
    if (this.children === noChildren) this.children = new Map();
    return this.children;
  }

  /** A set holding the given paths. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (mutates). */
  insert(path: Path): void {
    if (path.length === 0) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]);
    const last = path[path.length - 1];
    node.ownMembers().set(serializePathElement(last), last);
  }

  private child(pe: PathElement): FieldSet {
    const key = serializePathElement(pe);
    let c = this.children.get(key);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.ownChildren().set(key, c);
    }
    return c.set;
  }

  /** True when the path is a member (not merely a prefix). */
  has(path: Path): boolean {
    if (path.length === 0) return false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) {
      node = node.children.get(serializePathElement(path[i]))?.set;
    }
    return node?.members.has(serializePathElement(path[path.length - 1])) ?? false;
  }

  /** True when `pe` is a member at this level. */
  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePathElement(pe));
  }

  /** The paths under `pe`, relative to it (empty when there are none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.ownMembers().set(k, pe);
    for (const [k, pe] of other.members) out.ownMembers().set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      out.ownChildren().set(k, { pe: c.pe, set: o ? c.set.union(o.set) : c.set });
    }
    for (const [k, c] of other.children) if (!out.children.has(k)) out.ownChildren().set(k, c);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.ownMembers().set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) continue;
      const i = c.set.intersection(o.set);
      if (!i.empty()) out.ownChildren().set(k, { pe: c.pe, set: i });
    }
    return out;
  }

  /** Paths of this set that `other` does not hold; prefixes in `other` do not remove children. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.ownMembers().set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) {
        out.ownChildren().set(k, c);
        continue;
      }
      const d = c.set.difference(o.set);
      if (!d.empty()) out.ownChildren().set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Like {@link difference}, but a member of `other` also removes everything under it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.ownMembers().set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const o = other.children.get(k);
      if (!o) {
        out.ownChildren().set(k, c);
        continue;
      }
      const d = c.set.recursiveDifference(o.set);
      if (!d.empty()) out.ownChildren().set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Members at this level, sorted. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(comparePathElements);
  }

  /** Children at this level, sorted by element. */
  childEntries(): Child[] {
    return [...this.children.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** Every member path: members of a level first, then each child, in element order. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = this.memberElements().map((pe) => [...prefix, pe]);
    for (const c of this.childEntries()) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  equals(other: FieldSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(other.toFieldsV1());
  }

  /** The `fieldsV1` JSON object. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const members = this.memberElements();
    const children = this.childEntries().filter((c) => !c.set.empty());
    if (includeSelf && (members.length > 0 || children.length > 0)) out['.'] = {};
    let mi = 0;
    let ci = 0;
    while (mi < members.length || ci < children.length) {
      const c =
        mi >= members.length
          ? 1
          : ci >= children.length
            ? -1
            : comparePathElements(members[mi], children[ci].pe);
      if (c < 0) {
        out[serializePathElement(members[mi++])] = {};
      } else if (c > 0) {
        const child = children[ci++];
        out[serializePathElement(child.pe)] = child.set.emit(false);
      } else {
        const child = children[ci++];
        mi++;
        out[serializePathElement(child.pe)] = child.set.emit(true);
      }
    }
    return out;
  }

  /**
   * Parses `fieldsV1`. Keys with an unknown prefix are ignored, as upstream does; anything else
   * malformed throws.
   */
  static fromFieldsV1(fields: unknown): FieldSet {
    const [set] = FieldSet.readLevel(fields);
    return set ?? new FieldSet();
  }

  /** Returns the children of a level (undefined when none) and whether the level is a member. */
  private static readLevel(obj: unknown): [FieldSet | undefined, boolean] {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new Error(`expected an object in fieldsV1, got ${JSON.stringify(obj)}`);
    }
    let children: FieldSet | undefined;
    let isMember = false;
    for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
      if (key === '.') {
        isMember = true;
        continue;
      }
      const pe = deserializePathElement(key);
      if (!pe) continue;
      const [grandchildren, childIsMember] = FieldSet.readLevel(value);
      children ??= new FieldSet();
      if (childIsMember) children.insert([pe]);
      if (grandchildren && !grandchildren.empty()) {
        children.ownChildren().set(serializePathElement(pe), { pe, set: grandchildren });
      }
    }
    if (!children) isMember = true;
    return [children, isMember];
  }
}
