/**
 * The one error type of kuberx: a {@link StatusError} carries a Kubernetes `Status` object
 * (metav1.Status) with the upstream `reason`, `code`, `message` and `details`.
 *
 * The API server turns any thrown `StatusError` into its response body unchanged; the framework's
 * client turns every non-2xx response body back into a `StatusError`, so controllers test
 * `isNotFound(err)` / `isConflict(err)` the way client-go users test `apierrors.IsNotFound(err)`.
 * Messages are worded as upstream's `k8s.io/apimachinery/pkg/api/errors` words them.
 */

/** `metav1.StatusCause`: one field-level problem. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** `metav1.StatusDetails`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** `metav1.Status` as it travels on the wire. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** The `metav1.StatusReason` values kuberx emits (the empty string is "unknown"). */
export type StatusReason =
  | ''
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServerTimeout'
  | 'ServiceUnavailable';

/** Upstream `metav1.CauseType` values used in `details.causes[].reason`. */
export const CauseType = {
  FieldValueNotFound: 'FieldValueNotFound',
  FieldValueRequired: 'FieldValueRequired',
  FieldValueDuplicate: 'FieldValueDuplicate',
  FieldValueInvalid: 'FieldValueInvalid',
  FieldValueNotSupported: 'FieldValueNotSupported',
  FieldValueForbidden: 'FieldValueForbidden',
  FieldValueTooLong: 'FieldValueTooLong',
  FieldValueTooMany: 'FieldValueTooMany',
  FieldValueTypeInvalid: 'FieldValueTypeInvalid',
  FieldManagerConflict: 'FieldManagerConflict',
  UnexpectedServerResponse: 'UnexpectedServerResponse',
  ResourceVersionTooLarge: 'ResourceVersionTooLarge',
} as const;

/** A group-qualified resource, e.g. `{ group: 'apps', resource: 'deployments' }`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group-qualified kind, e.g. `{ group: 'apps', kind: 'Deployment' }`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** `deployments.apps`, or `pods` for the core group — upstream's `GroupResource.String()`. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

/**
 * An error that is a Kubernetes `Status`. Throw it anywhere in a request path; the API server
 * serialises {@link StatusError.status} with {@link StatusError.status.code} as the HTTP status.
 */
export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'>) {
    super(status.message ?? status.reason ?? `status ${status.code}`);
    this.name = 'StatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      ...status,
    };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors, one per upstream `New*` function in k8s.io/apimachinery/pkg/api/errors.
// ---------------------------------------------------------------------------------------------

/** 404 NotFound: `pods "web" not found`. */
export function newNotFound(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 404,
    reason: 'NotFound',
    message: `${qualifiedResource(gr)} "${name}" not found`,
    details: detailsFor(gr, name),
  });
}

/** 409 AlreadyExists: `pods "web" already exists`. */
export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualifiedResource(gr)} "${name}" already exists`,
    details: detailsFor(gr, name),
  });
}

/** The standard optimistic-concurrency message (`registry.OptimisticLockErrorMsg`). */
export const OptimisticLockErrorMsg =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict: `Operation cannot be fulfilled on pods "web": <why>`. */
export function newConflict(
  gr: GroupResource,
  name: string,
  why: string = OptimisticLockErrorMsg,
): StatusError {
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    details: detailsFor(gr, name),
  });
}

/** 409 Conflict raised by server-side apply, one cause per conflicting field. */
export function newApplyConflict(causes: StatusCause[], message: string): StatusError {
  return new StatusError({ code: 409, reason: 'Conflict', message, details: { causes } });
}

/** A field-level validation failure, as `field.Error` renders it. */
export interface FieldError {
  /** `FieldValueRequired`, `FieldValueInvalid`, … (see {@link CauseType}). */
  type: string;
  /** The JSON path of the field, e.g. `spec.containers[0].image`. */
  field: string;
  /** The offending value, when there is one to show. */
  value?: unknown;
  /** Detail appended after the value. */
  detail?: string;
}

const fieldErrorTypeText: Record<string, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Renders a field error the way `field.Error.Error()` does, e.g. `metadata.name: Required value`. */
export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

function fieldErrorBody(e: FieldError): string {
  const text = fieldErrorTypeText[e.type] ?? e.type;
  const showValue =
    e.value !== undefined &&
    e.type !== CauseType.FieldValueRequired &&
    e.type !== CauseType.FieldValueForbidden &&
    e.type !== CauseType.FieldValueTooLong;
  let body = text;
  if (showValue) body += `: ${renderValue(e.value)}`;
  if (e.detail) body += `: ${e.detail}`;
  return body;
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater
 * than or equal to 0`; several errors are joined inside `[…]` as upstream's aggregate prints them.
 */
export function newInvalid(gk: GroupKind, name: string, errors: FieldError[]): StatusError {
  const causes: StatusCause[] = errors.map((e) => ({
    reason: e.type,
    message: fieldErrorBody(e),
    field: e.field,
  }));
  const rendered = errors.map(fieldErrorMessage);
  const joined = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new StatusError({
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind(gk)} "${name}" is invalid: ${joined}`,
    details: { name, group: gk.group, kind: gk.kind, causes },
  });
}

/** 400 BadRequest with a free-form message. */
export function newBadRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}

/** 401 Unauthorized; upstream's authenticator failure message is `Unauthorized`. */
export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError({ code: 401, reason: 'Unauthorized', message });
}

/**
 * 403 Forbidden: `pods "web" is forbidden: User "bob" cannot get resource "pods" in API group ""
 * in the namespace "default"`. Pass an empty name for collection requests.
 */
export function newForbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name
    ? `${qualifiedResource(gr)} "${name}"`
    : qualifiedResource(gr) || 'the requested resource';
  return new StatusError({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} is forbidden: ${why}`,
    details: detailsFor(gr, name),
  });
}

/** 405 MethodNotAllowed: `<action> is not supported on resources of kind "<gr>"`. */
export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    details: { group: gr.group, kind: gr.resource },
  });
}

/** 406 NotAcceptable. */
export function newNotAcceptable(message: string): StatusError {
  return new StatusError({ code: 406, reason: 'NotAcceptable', message });
}

/** 415 UnsupportedMediaType: `the body of the request was in an unknown format - accepted media types include: …`. */
export function newUnsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  const message = contentType
    ? `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`
    : `the request body must have a content type - accepted media types include: ${accepted.join(', ')}`;
  return new StatusError({ code: 415, reason: 'UnsupportedMediaType', message });
}

/** 410 Expired (used for stale `continue` tokens and too-old watch resourceVersions). */
export function newResourceExpired(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Expired', message });
}

/** 410 Gone (older servers; the framework treats it like Expired). */
export function newGone(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Gone', message });
}

/** 413 RequestEntityTooLarge. */
export function newRequestEntityTooLarge(message: string): StatusError {
  return new StatusError({ code: 413, reason: 'RequestEntityTooLarge', message });
}

/** 429 TooManyRequests with a Retry-After hint in seconds. */
export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError({
    code: 429,
    reason: 'TooManyRequests',
    message,
    details: { retryAfterSeconds },
  });
}

/** 500 InternalError: `Internal error occurred: <cause>`. */
export function newInternalError(cause: unknown): StatusError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return new StatusError({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${text}`,
    details: { causes: [{ message: text }] },
  });
}

/** 504 Timeout: the server could not finish in time; the client may retry. */
export function newTimeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError({
    code: 504,
    reason: 'Timeout',
    message,
    details: retryAfterSeconds ? { retryAfterSeconds } : undefined,
  });
}

/** 503 ServiceUnavailable. */
export function newServiceUnavailable(message: string): StatusError {
  return new StatusError({ code: 503, reason: 'ServiceUnavailable', message });
}

function detailsFor(gr: GroupResource, name: string): StatusDetails {
  const details: StatusDetails = { group: gr.group, kind: gr.resource };
  if (name) details.name = name;
  return details;
}

// ---------------------------------------------------------------------------------------------
// Classification, as `apierrors.Is*`: match on reason first, then on code.
// ---------------------------------------------------------------------------------------------

function reasonOf(err: unknown): StatusReason | undefined {
  return err instanceof StatusError ? err.reason : undefined;
}

function codeOf(err: unknown): number | undefined {
  return err instanceof StatusError ? err.code : undefined;
}

export const isNotFound = (err: unknown): boolean => reasonOf(err) === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err) === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonOf(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonOf(err) === 'Invalid';
export const isForbidden = (err: unknown): boolean => reasonOf(err) === 'Forbidden';
export const isUnauthorized = (err: unknown): boolean => reasonOf(err) === 'Unauthorized';
export const isBadRequest = (err: unknown): boolean => reasonOf(err) === 'BadRequest';
export const isTooManyRequests = (err: unknown): boolean =>
  reasonOf(err) === 'TooManyRequests' || codeOf(err) === 429;
/** True for 410 with reason Expired or Gone: the reflector relists. */
export const isResourceExpired = (err: unknown): boolean =>
  reasonOf(err) === 'Expired' || reasonOf(err) === 'Gone' || codeOf(err) === 410;
/** True for 5xx responses and timeouts, which are worth retrying. */
export const isServerError = (err: unknown): boolean => (codeOf(err) ?? 0) >= 500;

/**
 * Builds a {@link StatusError} from an HTTP response: the body when it is a `Status`, otherwise a
 * generic error for the code (as client-go's `newUnstructuredResponseError`).
 */
export function statusErrorFromResponse(code: number, body: unknown): StatusError {
  if (isStatusObject(body)) {
    const { message, reason, details } = body;
    return new StatusError({ code: body.code || code, message, reason, details });
  }
  const text = typeof body === 'string' ? body.slice(0, 1024) : '';
  return new StatusError({
    code,
    reason: reasonForCode(code),
    message:
      text ||
      `the server responded with the status code ${code} but did not return more information`,
    details: { causes: [{ reason: CauseType.UnexpectedServerResponse, message: text }] },
  });
}

function isStatusObject(body: unknown): body is Status {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { kind?: unknown }).kind === 'Status' &&
    typeof (body as { code?: unknown }).code === 'number'
  );
}

/** The reason upstream infers from a bare HTTP code (`reasonForError`). */
export function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return '';
  }
}

/**
 * Anything thrown, as a `Status`: a {@link StatusError} keeps its own; anything else becomes a
 * 500 InternalError (never leaking a stack trace to the client).
 */
export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return newInternalError(err).status;
}
