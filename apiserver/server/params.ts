/**
 * Query (and DeleteOptions body) parameters, parsed and validated as upstream's parameter codec
 * and `meta/v1` validation do. Syntax errors are 400 BadRequest; rule violations are 422 Invalid
 * on the options kind (`ListOptions.meta.k8s.io "" is invalid: …`).
 */
import {
  CauseType,
  LabelSelectorError,
  newBadRequest,
  newInvalid,
  parseLabelSelector,
  type FieldError,
  type Selector,
} from '../../common/index.js';
import { FieldSelectorError, parseFieldSelector, type FieldSelector } from '../fields/selector.js';
import { managerOrUserAgent } from '../fieldmanager/index.js';
import type { DeleteOptions } from '../registry/generic/hooks.js';

type OptionsKind =
  | 'ListOptions'
  | 'CreateOptions'
  | 'UpdateOptions'
  | 'PatchOptions'
  | 'DeleteOptions'
  | 'GetOptions';

function invalidOptions(kind: OptionsKind, errs: FieldError[]) {
  return newInvalid({ group: 'meta.k8s.io', kind }, '', errs);
}

/** Go's `strconv.ParseBool`, as the parameter codec uses it; 400 otherwise. */
export function parseBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(v))
    return v === '' ? undefined : false;
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** An integer parameter; 400 when it is not one. */
export function parseInteger(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) {
    throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  return Number(v);
}

export interface SelectorParams {
  labelSelector: Selector;
  fieldSelector: FieldSelector;
}

/** `labelSelector` and `fieldSelector`, the latter restricted to `supportedFields`. */
export function parseSelectors(q: URLSearchParams, supportedFields: Set<string>): SelectorParams {
  let labelSelector: Selector;
  let fieldSelector: FieldSelector;
  try {
    labelSelector = parseLabelSelector(q.get('labelSelector') ?? '');
  } catch (err) {
    if (err instanceof LabelSelectorError) throw newBadRequest(err.message);
    throw err;
  }
  try {
    fieldSelector = parseFieldSelector(q.get('fieldSelector') ?? '');
  } catch (err) {
    if (err instanceof FieldSelectorError) throw newBadRequest(err.message);
    throw err;
  }
  for (const r of fieldSelector.requirements) {
    if (!supportedFields.has(r.field)) throw newBadRequest(`field label not supported: ${r.field}`);
  }
  return { labelSelector, fieldSelector };
}

export interface ListQuery extends SelectorParams {
  limit: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

/** Parses and validates list/watch options (`ValidateListOptions`). */
export function parseListQuery(
  q: URLSearchParams,
  supportedFields: Set<string>,
  watch: boolean,
): ListQuery {
  const selectors = parseSelectors(q, supportedFields);
  const limit = parseInteger(q, 'limit') ?? 0;
  const out: ListQuery = {
    ...selectors,
    limit: limit > 0 ? limit : 0,
    continue: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: (q.get('resourceVersionMatch') ||
      undefined) as ListQuery['resourceVersionMatch'],
    watch,
    allowWatchBookmarks: parseBool(q, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: parseBool(q, 'sendInitialEvents'),
    timeoutSeconds: parseInteger(q, 'timeoutSeconds'),
  };
  const errs = watch ? validateWatch(out) : validateList(out);
  if (errs.length > 0) throw invalidOptions('ListOptions', errs);
  return out;
}

const forbidden = (field: string, detail: string): FieldError => ({
  type: CauseType.FieldValueForbidden,
  field,
  detail,
});

function validateList(o: ListQuery): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match) {
    if (!o.resourceVersion) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (o.continue) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      errs.push({
        type: CauseType.FieldValueNotSupported,
        field: 'resourceVersionMatch',
        value: match,
        detail: 'supported values: "Exact", "NotOlderThan", ""',
      });
    }
    if (match === 'Exact' && o.resourceVersion === '0') {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (o.sendInitialEvents !== undefined) {
    errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  return errs;
}

function validateWatch(o: ListQuery): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(
      forbidden(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      ),
    );
  }
  if (match) {
    if (o.sendInitialEvents === undefined) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (match !== 'NotOlderThan') {
      errs.push({
        type: CauseType.FieldValueNotSupported,
        field: 'resourceVersionMatch',
        value: match,
        detail: 'supported values: "NotOlderThan"',
      });
    }
    if (o.continue) {
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
  }
  return errs;
}

export interface WriteQuery {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation?: string;
  force?: boolean;
}

/**
 * `dryRun`, `fieldManager` (defaulted from the User-Agent as upstream does) and `force` of a
 * create, update or patch.
 */
export function parseWriteQuery(
  q: URLSearchParams,
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  userAgent: string | undefined,
  opts: { apply?: boolean } = {},
): WriteQuery {
  const errs: FieldError[] = [];
  const dryRun = validateDryRun(q.getAll('dryRun'), errs);
  const explicit = q.get('fieldManager');
  if (explicit !== null && explicit.length > 128) {
    errs.push({
      type: CauseType.FieldValueTooLong,
      field: 'fieldManager',
      value: explicit,
      detail: 'may not be more than 128 bytes',
    });
  }
  if (opts.apply && !explicit) {
    errs.push({
      type: CauseType.FieldValueRequired,
      field: 'fieldManager',
      detail: 'is required for apply patch',
    });
  }
  const force = parseBool(q, 'force');
  if (force !== undefined && !opts.apply) {
    errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  }
  if (errs.length > 0) throw invalidOptions(kind, errs);
  return {
    dryRun,
    fieldManager: managerOrUserAgent(explicit ?? undefined, userAgent) || 'unknown',
    fieldValidation: q.get('fieldValidation') ?? undefined,
    force,
  };
}

function validateDryRun(values: string[], errs: FieldError[]): boolean {
  if (values.length === 0) return false;
  if (values.some((v) => v !== 'All')) {
    errs.push({
      type: CauseType.FieldValueNotSupported,
      field: 'dryRun',
      value: values,
      detail: 'supported values: "All"',
    });
  }
  return true;
}

/** DeleteOptions from the body (if any) merged with the query, then validated. */
export function parseDeleteOptions(q: URLSearchParams, body: unknown): DeleteOptions {
  const opts: DeleteOptions = {};
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw newBadRequest('the body of a DELETE must be a DeleteOptions object');
    }
    const b = body as Record<string, unknown>;
    if (typeof b.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = b.gracePeriodSeconds;
    if (b.preconditions && typeof b.preconditions === 'object') {
      opts.preconditions = b.preconditions as DeleteOptions['preconditions'];
    }
    if (typeof b.propagationPolicy === 'string') {
      opts.propagationPolicy = b.propagationPolicy as DeleteOptions['propagationPolicy'];
    }
    if (typeof b.orphanDependents === 'boolean') opts.orphanDependents = b.orphanDependents;
    if (Array.isArray(b.dryRun)) opts.dryRun = b.dryRun.map(String);
  }
  const grace = parseInteger(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  const orphan = parseBool(q, 'orphanDependents');
  if (orphan !== undefined) opts.orphanDependents = orphan;
  const dryRun = q.getAll('dryRun');
  if (dryRun.length > 0) opts.dryRun = dryRun;

  const errs: FieldError[] = [];
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push({
      type: CauseType.FieldValueInvalid,
      field: 'propagationPolicy',
      value: opts.propagationPolicy,
      detail: 'orphanDependents and deletionPropagation cannot be both set',
    });
  }
  if (
    opts.propagationPolicy !== undefined &&
    !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)
  ) {
    errs.push({
      type: CauseType.FieldValueNotSupported,
      field: 'propagationPolicy',
      value: opts.propagationPolicy,
      detail: 'supported values: "Foreground", "Background", "Orphan"',
    });
  }
  validateDryRun(opts.dryRun ?? [], errs);
  if (errs.length > 0) throw invalidOptions('DeleteOptions', errs);
  return opts;
}
