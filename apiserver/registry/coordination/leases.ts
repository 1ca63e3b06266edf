/**
 * coordination.k8s.io/v1 leases (pkg/apis/coordination/validation `ValidateLease`): positive
 * durations, non-negative transitions; the `kubectl get leases` table is NAME HOLDER AGE.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, notSupported } from '../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels } from '../strategy.js';

type Obj = Record<string, unknown>;

function validateLeaseSpec(obj: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const errs: FieldError[] = [];
  const d = spec.leaseDurationSeconds as number | undefined;
  if (d !== undefined && d !== null && d <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  const t = spec.leaseTransitions as number | undefined;
  if (t !== undefined && t !== null && t < 0)
    errs.push(invalid('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
  if (spec.strategy && spec.strategy !== 'OldestEmulationVersion') {
    errs.push(notSupported('spec.strategy', spec.strategy, ['OldestEmulationVersion']));
  }
  return errs;
}

export const leases: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  singularName: 'lease',
  kind: 'Lease',
  namespaced: true,
  allowCreateOnUpdate: true,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateLeaseSpec(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateLeaseSpec(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'),
      ageColumn,
    ],
    cells: (obj, { now }) => [
      nameOf(obj),
      ((obj.spec as Obj | undefined)?.holderIdentity as string) ?? '',
      ageOf(obj, now),
    ],
  },
};
