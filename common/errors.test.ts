import {
  StatusError,
  newNotFound,
  newAlreadyExists,
  newConflict,
  newInvalid,
  newForbidden,
  newMethodNotSupported,
  newUnsupportedMediaType,
  newTooManyRequests,
  newInternalError,
  statusErrorFromResponse,
  toStatus,
  isNotFound,
  isConflict,
  isResourceExpired,
  isServerError,
  isTooManyRequests,
  CauseType,
} from './errors.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('Status errors carry upstream reasons, codes and messages', () => {
  test.each([
    ['NotFound, core group', newNotFound(pods, 'web'), 404, 'NotFound', 'pods "web" not found'],
    [
      'NotFound, named group',
      newNotFound(deployments, 'web'),
      404,
      'NotFound',
      'deployments.apps "web" not found',
    ],
    [
      'AlreadyExists',
      newAlreadyExists(pods, 'web'),
      409,
      'AlreadyExists',
      'pods "web" already exists',
    ],
    [
      'Conflict (optimistic lock)',
      newConflict(deployments, 'web'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    ],
    [
      'Forbidden',
      newForbidden(
        pods,
        'web',
        'User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
      ),
      403,
      'Forbidden',
      'pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
    ],
    [
      'MethodNotAllowed',
      newMethodNotSupported(pods, 'deletecollection'),
      405,
      'MethodNotAllowed',
      'deletecollection is not supported on resources of kind "pods"',
    ],
    [
      'TooManyRequests',
      newTooManyRequests('too many requests, please try again later', 1),
      429,
      'TooManyRequests',
      'too many requests, please try again later',
    ],
  ])('%s', (_name, err, code, reason, message) => {
    expect(err).toBeInstanceOf(StatusError);
    expect(err.status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
      message,
    });
    expect(err.message).toBe(message);
  });

  test('a single invalid field renders without brackets, with the value quoted', () => {
    const err = newInvalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      {
        type: CauseType.FieldValueInvalid,
        field: 'metadata.name',
        value: 'Web',
        detail: 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
      },
    ]);
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'Deployment.apps "web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
    expect(err.status.details).toEqual({
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message:
            'Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
        },
      ],
    });
  });

  test('several invalid fields are joined in brackets, and Required omits the value', () => {
    const err = newInvalid({ group: '', kind: 'Pod' }, 'p', [
      { type: CauseType.FieldValueRequired, field: 'spec.containers', value: null },
      {
        type: CauseType.FieldValueInvalid,
        field: 'spec.replicas',
        value: -1,
        detail: 'must be greater than or equal to 0',
      },
    ]);
    expect(err.message).toBe(
      'Pod "p" is invalid: [spec.containers: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]',
    );
  });

  test('unsupported media type lists what is accepted', () => {
    const err = newUnsupportedMediaType('application/strategic-merge-patch+json', [
      'application/json-patch+json',
      'application/merge-patch+json',
    ]);
    expect(err.code).toBe(415);
    expect(err.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json',
    );
  });
});

describe('classification follows apierrors.Is*', () => {
  test('reason decides, not only the code', () => {
    expect(isNotFound(newNotFound(pods, 'x'))).toBe(true);
    expect(isNotFound(newAlreadyExists(pods, 'x'))).toBe(false);
    expect(isConflict(newAlreadyExists(pods, 'x'))).toBe(false);
    expect(isConflict(newConflict(pods, 'x'))).toBe(true);
    expect(isNotFound(new Error('pods "x" not found'))).toBe(false);
  });

  test('410 with reason Gone or Expired is an expired resource version', () => {
    expect(
      isResourceExpired(
        statusErrorFromResponse(410, { kind: 'Status', code: 410, reason: 'Expired' }),
      ),
    ).toBe(true);
    expect(
      isResourceExpired(
        statusErrorFromResponse(410, { kind: 'Status', code: 410, reason: 'Gone' }),
      ),
    ).toBe(true);
    expect(isResourceExpired(newNotFound(pods, 'x'))).toBe(false);
  });

  test('5xx is a server error and 429 is throttling', () => {
    expect(isServerError(statusErrorFromResponse(503, 'upstream down'))).toBe(true);
    expect(isServerError(newConflict(pods, 'x'))).toBe(false);
    expect(isTooManyRequests(statusErrorFromResponse(429, ''))).toBe(true);
  });
});

describe('mapping to and from the wire', () => {
  test('a Status body round-trips through statusErrorFromResponse', () => {
    const original = newNotFound(deployments, 'web').status;
    const parsed = statusErrorFromResponse(404, JSON.parse(JSON.stringify(original)));
    expect(parsed.status).toEqual(original);
  });

  test('a non-Status body becomes an error with the reason implied by the code', () => {
    const err = statusErrorFromResponse(502, '<html>bad gateway</html>');
    expect(err.code).toBe(502);
    expect(err.reason).toBe('');
    expect(err.message).toBe('<html>bad gateway</html>');
    const empty = statusErrorFromResponse(404, undefined);
    expect(empty.reason).toBe('NotFound');
    expect(empty.message).toBe(
      'the server responded with the status code 404 but did not return more information',
    );
  });

  test('any other thrown value becomes a 500 InternalError without a stack trace', () => {
    const status = toStatus(new TypeError('boom'));
    expect(status).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: boom',
    });
    expect(JSON.stringify(status)).not.toContain('at ');
    expect(newInternalError('x').status.details?.causes).toEqual([{ message: 'x' }]);
  });
});
