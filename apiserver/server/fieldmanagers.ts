/**
 * Wires `apiserver/fieldmanager` into the generic store and the patch handler: one field manager
 * per served kind and subresource (created on first use), recording `managedFields` on every
 * write and performing server-side apply. Types without a schema get managers that deduce the
 * structure from the objects (as upstream does for unknown types).
 */
import type { Clock } from '../../common/index.js';
import { defaultResetFields, FieldManager as SchemaFieldManager } from '../fieldmanager/index.js';
import type { Applier } from '../handlers/patch.js';
import type { FieldManager } from '../registry/generic/context.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { SchemaSet } from '../schema/index.js';

export class FieldManagers implements FieldManager {
  private readonly managers = new Map<string, SchemaFieldManager>();

  constructor(
    private readonly schemas: SchemaSet,
    private readonly clock?: Clock,
  ) {
    schemas.onChange(() => this.managers.clear());
  }

  private managerFor(type: ResourceType, subresource: string): SchemaFieldManager {
    const key = `${type.group}/${type.version}/${type.kind}/${subresource}`;
    let fm = this.managers.get(key);
    if (!fm) {
      fm = new SchemaFieldManager({
        schemas: this.schemas,
        gvk: { group: type.group, version: type.version, kind: type.kind },
        subresource,
        resetFields: defaultResetFields(subresource, (type.subresources ?? []).includes('status')),
        clock: this.clock,
      });
      this.managers.set(key, fm);
    }
    return fm;
  }

  update(
    type: ResourceType,
    live: KubeObject | undefined,
    obj: KubeObject,
    manager: string,
    subresource: string,
  ): void {
    const out = this.managerFor(type, subresource).update(live, obj, manager);
    const managed = (out.metadata as KubeObject['metadata'])?.managedFields;
    const meta = (obj.metadata ??= {});
    if (managed === undefined) delete meta.managedFields;
    else meta.managedFields = managed;
  }

  /** Server-side apply for the patch handler. */
  readonly applier: Applier = ({ type, live, patch, manager, force, subresource }) =>
    this.managerFor(type, subresource).apply(live, patch, manager, force) as KubeObject;
}
