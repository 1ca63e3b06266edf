/**
 * core/v1 resourcequotas and limitranges (`ValidateResourceQuota`, `ValidateLimitRange`,
 * `SetDefaults_LimitRangeItem`, `printResourceQuota`). Quantities are parsed with the shared
 * quantity module; relations between min, max, default and defaultRequest use upstream's words.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, defaultTable, nameColumn, nameOf } from '../printers/columns.js';
import { forbidden, invalid, notSupported, required } from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels, statusStrategy } from '../strategy.js';
import { type Quantity, tryParseQuantity } from '../quantity/index.js';

type Obj = Record<string, unknown>;
type ResourceList = Record<string, unknown>;

/** Parses every quantity of a resource list at `path`, collecting upstream errors. */
function parseList(
  list: unknown,
  path: string,
  errs: FieldError[],
  nonNegative = true,
): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries((list as ResourceList | undefined) ?? {})) {
    const fp = `${path}[${k}]`;
    for (const msg of isQualifiedName(k)) errs.push(invalid(fp, k, msg));
    const q = tryParseQuantity(v);
    if (typeof q === 'string') {
      errs.push(invalid(fp, v, q));
      continue;
    }
    if (nonNegative && q.sign() < 0)
      errs.push(invalid(fp, q.toString(), 'must be greater than or equal to 0'));
    out.set(k, q);
  }
  return out;
}

const quotaScopes = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
  'VolumeAttributesClass',
];

function validateQuota(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (obj.spec as Obj | undefined) ?? {};
  parseList(spec.hard, 'spec.hard', errs);
  ((spec.scopes as string[] | undefined) ?? []).forEach((s, i) => {
    if (!quotaScopes.includes(s)) errs.push(notSupported(`spec.scopes[${i}]`, s, quotaScopes));
  });
  return errs;
}

function validateQuotaStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = (obj.status as Obj | undefined) ?? {};
  parseList(status.hard, 'status.hard', errs);
  parseList(status.used, 'status.used', errs);
  return errs;
}

/** `printResourceQuota`: `pods: 1/10, requests.cpu: 500m/2` in key order; limits.* go to LIMIT. */
function quotaCells(obj: KubeObject): [string, string] {
  const status = (obj.status as Obj | undefined) ?? {};
  const hard = (status.hard as ResourceList | undefined) ?? {};
  const used = (status.used as ResourceList | undefined) ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const k of Object.keys(hard).sort()) {
    const u = tryParseQuantity(used[k] ?? '0');
    const h = tryParseQuantity(hard[k]);
    const text = `${k}: ${typeof u === 'string' ? String(used[k]) : u.toString()}/${typeof h === 'string' ? String(hard[k]) : h.toString()}`;
    (k.startsWith('limits') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotas: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'resourcequotas',
  singularName: 'resourcequota',
  kind: 'ResourceQuota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],
  ...statusStrategy({ initialStatus: () => ({}), generation: false }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateQuota(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateQuota(obj),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateQuotaStatus(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      ageColumn,
      col(
        'Request',
        'Request represents a minimum amount of cpu/memory that a container may consume.',
      ),
      col(
        'Limit',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
    ],
    cells: (obj, { now }) => [nameOf(obj), ageOf(obj, now), ...quotaCells(obj)],
  },
};

/** `SetDefaults_LimitRangeItem`: Container items get default limits from max and default requests from default, then min. */
export function setDefaultsLimitRange(obj: KubeObject): void {
  for (const item of ((obj.spec as Obj | undefined)?.limits as Obj[] | undefined) ?? []) {
    if (item.type !== 'Container') continue;
    const def = { ...((item.default as ResourceList | undefined) ?? {}) };
    const defReq = { ...((item.defaultRequest as ResourceList | undefined) ?? {}) };
    for (const [k, v] of Object.entries((item.max as ResourceList | undefined) ?? {}))
      if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries((item.min as ResourceList | undefined) ?? {}))
      if (!(k in defReq)) defReq[k] = v;
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(defReq).length) item.defaultRequest = defReq;
  }
}

function validateLimitRange(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (((obj.spec as Obj | undefined)?.limits as Obj[] | undefined) ?? []).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    const type = (item.type as string) ?? '';
    if (!type) errs.push(required(`${p}.type`));
    else if (seen.has(type))
      errs.push({ type: 'FieldValueDuplicate', field: `${p}.type`, value: type });
    seen.add(type);
    const max = parseList(item.max, `${p}.max`, errs);
    const min = parseList(item.min, `${p}.min`, errs);
    const def = parseList(item.default, `${p}.default`, errs);
    const defReq = parseList(item.defaultRequest, `${p}.defaultRequest`, errs);
    parseList(item.maxLimitRequestRatio, `${p}.maxLimitRequestRatio`, errs);
    if (type === 'Pod') {
      if (def.size)
        errs.push(forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (defReq.size)
        errs.push(forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    const keys = new Set([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys()]);
    for (const k of keys) {
      const [mx, mn, d, dr] = [max.get(k), min.get(k), def.get(k), defReq.get(k)];
      if (mn && mx && mn.cmp(mx) > 0)
        errs.push(
          invalid(
            `${p}.min[${k}]`,
            mn.toString(),
            `min value ${mn} is greater than max value ${mx}`,
          ),
        );
      if (dr && mn && mn.cmp(dr) > 0)
        errs.push(
          invalid(
            `${p}.defaultRequest[${k}]`,
            dr.toString(),
            `min value ${mn} is greater than default request value ${dr}`,
          ),
        );
      if (dr && mx && dr.cmp(mx) > 0)
        errs.push(
          invalid(
            `${p}.defaultRequest[${k}]`,
            dr.toString(),
            `default request value ${dr} is greater than max value ${mx}`,
          ),
        );
      if (dr && d && dr.cmp(d) > 0)
        errs.push(
          invalid(
            `${p}.defaultRequest[${k}]`,
            dr.toString(),
            `default request value ${dr} is greater than default limit value ${d}`,
          ),
        );
      if (d && mn && mn.cmp(d) > 0)
        errs.push(
          invalid(
            `${p}.default[${k}]`,
            mn.toString(),
            `min value ${mn} is greater than default value ${d}`,
          ),
        );
      if (d && mx && d.cmp(mx) > 0)
        errs.push(
          invalid(
            `${p}.default[${k}]`,
            mx.toString(),
            `default value ${d} is greater than max value ${mx}`,
          ),
        );
    }
  });
  return errs;
}

export const limitRanges: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'limitranges',
  singularName: 'limitrange',
  kind: 'LimitRange',
  namespaced: true,
  shortNames: ['limits'],
  allowCreateOnUpdate: true,
  defaults: setDefaultsLimitRange,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateLimitRange(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateLimitRange(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: defaultTable,
};
