/**
 * The query and path parameters of Kubernetes API operations, by name, with short descriptions
 * (upstream's are longer). The OpenAPI documents list them per operation; kubectl reads the
 * `fieldValidation` parameter of PATCH operations to learn that the server validates fields.
 */

/** A non-body parameter, independent of the OpenAPI version. */
export interface ParameterSpec {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
}

const q = (name: string, type: ParameterSpec['type'], description: string): ParameterSpec => ({
  name,
  in: 'query',
  type,
  description,
});

export const parameters = {
  allowWatchBookmarks: q(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK". Clients should not assume bookmarks are returned at any specific interval.',
  ),
  continue: q(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server; it is the value returned by a previous list with identical query parameters.',
  ),
  dryRun: q(
    'dryRun',
    'string',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: q(
    'fieldManager',
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long.',
  ),
  fieldSelector: q(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (the default) - Strict: fail the request with a BadRequest error listing all unknown and duplicate fields.',
  ),
  force: q(
    'force',
    'boolean',
    'Force is going to "force" Apply requests: the user will re-acquire conflicting fields owned by other people. Force must be unset for non-apply patch requests.',
  ),
  gracePeriodSeconds: q(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted. The value zero indicates delete immediately. If unset, the default grace period for the specified type is used.',
  ),
  ignoreStoreReadErrorWithClusterBreakingPotential: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.',
  ),
  labelSelector: q(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  limit: q(
    'limit',
    'integer',
    'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata.',
  ),
  orphanDependents: q(
    'orphanDependents',
    'boolean',
    'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.',
  ),
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  propagationPolicy: q(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
  resourceVersion: q(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset.',
  ),
  resourceVersionMatch: q(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls: Exact or NotOlderThan.',
  ),
  sendInitialEvents: q(
    'sendInitialEvents',
    'boolean',
    '`sendInitialEvents=true` may be set together with `watch=true`: the stream begins with synthetic events for the current state, then a bookmark annotated "k8s.io/initial-events-end".',
  ),
  timeoutSeconds: q(
    'timeoutSeconds',
    'integer',
    'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.',
  ),
  watch: q(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
} satisfies Record<string, ParameterSpec>;

/** The `{name}` path parameter of an item path. */
export function nameParameter(kind: string): ParameterSpec {
  return {
    name: 'name',
    in: 'path',
    type: 'string',
    required: true,
    description: `name of the ${kind}`,
  };
}

export const namespaceParameter: ParameterSpec = {
  name: 'namespace',
  in: 'path',
  type: 'string',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
};

const p = parameters;

/** Parameters of a list (and watch) operation. */
export const listParameters: ParameterSpec[] = [
  p.allowWatchBookmarks,
  p.continue,
  p.fieldSelector,
  p.labelSelector,
  p.limit,
  p.resourceVersion,
  p.resourceVersionMatch,
  p.sendInitialEvents,
  p.timeoutSeconds,
  p.watch,
];

/** Non-body parameters of create and replace. */
export const writeParameters: ParameterSpec[] = [p.dryRun, p.fieldManager, p.fieldValidation];

/** Non-body parameters of patch. */
export const patchParameters: ParameterSpec[] = [...writeParameters, p.force];

/** Non-body parameters of delete. */
export const deleteParameters: ParameterSpec[] = [
  p.dryRun,
  p.gracePeriodSeconds,
  p.ignoreStoreReadErrorWithClusterBreakingPotential,
  p.orphanDependents,
  p.propagationPolicy,
];

/** Non-body parameters of deletecollection. */
export const deleteCollectionParameters: ParameterSpec[] = [
  p.continue,
  p.dryRun,
  p.fieldSelector,
  p.gracePeriodSeconds,
  p.ignoreStoreReadErrorWithClusterBreakingPotential,
  p.labelSelector,
  p.limit,
  p.orphanDependents,
  p.propagationPolicy,
  p.resourceVersion,
  p.resourceVersionMatch,
  p.sendInitialEvents,
  p.timeoutSeconds,
];
