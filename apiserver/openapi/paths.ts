/**
 * The operations of the served resources, independent of the OpenAPI version: paths, operation
 * ids, actions, parameters, bodies and responses named the way kube-apiserver names them
 * (`patchAppsV1NamespacedDeployment`, `x-kubernetes-action: patch`, tag `apps_v1`).
 *
 * Only what a resource serves is listed: operations follow its verbs, subresources follow
 * `subresources`; a resource whose kind has no schema definition is left out (its schema is
 * registered later, e.g. by a CRD).
 */
import type { GroupVersionKind, SchemaSet } from '../schema/index.js';
import { primitiveNames } from '../schema/index.js';
import { cap, groupCamel, gvPrefix, tagOf } from './naming.js';
import type { ParameterSpec } from './parameters.js';
import {
  deleteCollectionParameters,
  deleteParameters,
  listParameters,
  nameParameter,
  namespaceParameter,
  parameters,
  patchParameters,
  writeParameters,
} from './parameters.js';

/** What the OpenAPI documents need to know about a served resource (a subset of `ResourceType`). */
export interface OpenApiResource {
  group: string;
  version: string;
  /** Plural, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Default: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs?: string[];
  subresources?: string[];
  /** false for custom resources, which do not accept strategic merge patches. */
  strategicMerge?: boolean;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface ApiResponse {
  code: string;
  description: string;
  /** Definition name of the response body, if any. */
  ref?: string;
}

export interface ApiOperation {
  method: HttpMethod;
  operationId: string;
  description: string;
  /** `x-kubernetes-action`. */
  action: string;
  /** `x-kubernetes-group-version-kind`. */
  gvk?: GroupVersionKind;
  tag: string;
  parameters: ParameterSpec[];
  /** Definition name of the request body. */
  body?: { ref: string; required: boolean };
  consumes: string[];
  produces: string[];
  responses: ApiResponse[];
}

export interface ApiPath {
  path: string;
  /** The group/version this path belongs to (its `/openapi/v3` document). */
  group: string;
  version: string;
  parameters: ParameterSpec[];
  operations: ApiOperation[];
}

export interface PathOptions {
  /** Media types served for object responses. Default `application/json`, `application/yaml`. */
  produces?: string[];
}

const defaultVerbs = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
];
const metaDef = (kind: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${kind}`;
const unauthorized: ApiResponse = { code: '401', description: 'Unauthorized' };

/** Subresources with operations of their own: methods and the kind they read and write. */
const subresourceKinds: Record<string, { kind: GroupVersionKind | 'self'; methods: HttpMethod[] }> =
  {
    status: { kind: 'self', methods: ['get', 'put', 'patch'] },
    scale: {
      kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      methods: ['get', 'put', 'patch'],
    },
    binding: { kind: { group: '', version: 'v1', kind: 'Binding' }, methods: ['post'] },
    eviction: { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, methods: ['post'] },
    token: {
      kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
      methods: ['post'],
    },
    finalize: { kind: 'self', methods: ['put'] },
    ephemeralcontainers: { kind: 'self', methods: ['get', 'put', 'patch'] },
    resize: { kind: 'self', methods: ['get', 'put', 'patch'] },
    approval: { kind: 'self', methods: ['get', 'put', 'patch'] },
  };

/** All paths of the given resources, grouped by path in a stable order. */
export function buildPaths(
  resources: readonly OpenApiResource[],
  schemas: SchemaSet,
  options: PathOptions = {},
): ApiPath[] {
  const produces = options.produces ?? ['application/json', 'application/yaml'];
  const out: ApiPath[] = [];
  const gvs = new Map<string, { group: string; version: string }>();
  for (const r of resources) {
    const ref = schemas.nameForKind({ group: r.group, version: r.version, kind: r.kind });
    const listRef = schemas.nameForKind({
      group: r.group,
      version: r.version,
      kind: `${r.kind}List`,
    });
    if (!ref) continue;
    gvs.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
    out.push(...resourcePaths(r, ref, listRef, schemas, produces));
  }
  for (const gv of gvs.values()) {
    const gvc = `${groupCamel(gv.group)}${cap(gv.version)}`;
    out.push({
      path: `${gvPrefix(gv.group, gv.version)}/`,
      group: gv.group,
      version: gv.version,
      parameters: [],
      operations: [
        {
          method: 'get',
          operationId: `get${gvc}APIResources`,
          description: 'get available resources',
          action: '',
          tag: tagOf(gv.group, gv.version),
          parameters: [],
          consumes: ['application/json', 'application/yaml'],
          produces: ['application/json', 'application/yaml'],
          responses: [
            { code: '200', description: 'OK', ref: metaDef('APIResourceList') },
            unauthorized,
          ],
        },
      ],
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function resourcePaths(
  r: OpenApiResource,
  ref: string,
  listRef: string | undefined,
  schemas: SchemaSet,
  produces: string[],
): ApiPath[] {
  const verbs = new Set(r.verbs ?? defaultVerbs);
  const gvc = `${groupCamel(r.group)}${cap(r.version)}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const tag = tagOf(r.group, r.version);
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const prefix = gvPrefix(r.group, r.version);
  const collection = r.namespaced
    ? `${prefix}/namespaces/{namespace}/${r.resource}`
    : `${prefix}/${r.resource}`;
  const scopeParams = r.namespaced ? [namespaceParameter] : [];
  const base = { tag, gvk };
  const paths: ApiPath[] = [];
  const at = (path: string, params: ParameterSpec[], operations: ApiOperation[]) => {
    if (operations.length > 0) {
      paths.push({
        path,
        group: r.group,
        version: r.version,
        parameters: [...params, parameters.pretty],
        operations,
      });
    }
  };

  const collectionOps: ApiOperation[] = [];
  if ((verbs.has('list') || verbs.has('watch')) && listRef) {
    collectionOps.push(
      op(
        base,
        'get',
        `list${gvc}${ns}${r.kind}`,
        `list or watch objects of kind ${r.kind}`,
        'list',
        {
          parameters: listParameters,
          produces: [...produces, 'application/json;stream=watch'],
          responses: [ok(listRef), unauthorized],
        },
      ),
    );
  }
  if (verbs.has('create')) {
    collectionOps.push(
      op(base, 'post', `create${gvc}${ns}${r.kind}`, `create a ${r.kind}`, 'post', {
        parameters: writeParameters,
        body: { ref, required: true },
        produces,
        responses: [ok(ref), created(ref), accepted(ref), unauthorized],
      }),
    );
  }
  if (verbs.has('deletecollection')) {
    collectionOps.push(
      op(
        base,
        'delete',
        `delete${gvc}Collection${ns}${r.kind}`,
        `delete collection of ${r.kind}`,
        'deletecollection',
        {
          parameters: deleteCollectionParameters,
          body: { ref: metaDef('DeleteOptions'), required: false },
          produces,
          responses: [ok(metaDef('Status')), unauthorized],
        },
      ),
    );
  }
  at(collection, scopeParams, collectionOps);

  const item = `${collection}/{name}`;
  const itemParams = [nameParameter(r.kind), ...scopeParams];
  const itemOps: ApiOperation[] = [];
  if (verbs.has('get')) {
    itemOps.push(
      op(base, 'get', `read${gvc}${ns}${r.kind}`, `read the specified ${r.kind}`, 'get', {
        produces,
        responses: [ok(ref), unauthorized],
      }),
    );
  }
  if (verbs.has('update')) {
    itemOps.push(
      op(base, 'put', `replace${gvc}${ns}${r.kind}`, `replace the specified ${r.kind}`, 'put', {
        parameters: writeParameters,
        body: { ref, required: true },
        produces,
        responses: [ok(ref), created(ref), unauthorized],
      }),
    );
  }
  if (verbs.has('delete')) {
    itemOps.push(
      op(base, 'delete', `delete${gvc}${ns}${r.kind}`, `delete a ${r.kind}`, 'delete', {
        parameters: deleteParameters,
        body: { ref: metaDef('DeleteOptions'), required: false },
        produces,
        responses: [ok(metaDef('Status')), accepted(metaDef('Status')), unauthorized],
      }),
    );
  }
  if (verbs.has('patch'))
    itemOps.push(patchOp(base, `patch${gvc}${ns}${r.kind}`, r.kind, '', ref, r, produces));
  at(item, itemParams, itemOps);

  for (const sub of r.subresources ?? []) {
    const spec = subresourceKinds[sub];
    if (!spec) continue;
    const subGvk = spec.kind === 'self' ? gvk : spec.kind;
    const subRef = spec.kind === 'self' ? ref : schemas.nameForKind(spec.kind);
    if (!subRef) continue;
    const suffix = cap(sub === 'ephemeralcontainers' ? 'ephemeralContainers' : sub);
    const subBase = { tag, gvk: subGvk };
    const ops: ApiOperation[] = [];
    for (const method of spec.methods) {
      const id = `${gvc}${ns}${r.kind}${suffix}`;
      if (method === 'get') {
        ops.push(
          op(subBase, 'get', `read${id}`, `read ${sub} of the specified ${r.kind}`, 'get', {
            produces,
            responses: [ok(subRef), unauthorized],
          }),
        );
      } else if (method === 'put') {
        ops.push(
          op(subBase, 'put', `replace${id}`, `replace ${sub} of the specified ${r.kind}`, 'put', {
            parameters: writeParameters,
            body: { ref: subRef, required: true },
            produces,
            responses: [ok(subRef), created(subRef), unauthorized],
          }),
        );
      } else if (method === 'patch') {
        ops.push(patchOp(subBase, `patch${id}`, r.kind, sub, subRef, r, produces));
      } else if (method === 'post') {
        ops.push(
          op(subBase, 'post', `create${id}`, `create ${sub} of a ${r.kind}`, 'post', {
            parameters: writeParameters,
            body: { ref: subRef, required: true },
            produces,
            responses: [ok(subRef), created(subRef), accepted(subRef), unauthorized],
          }),
        );
      }
    }
    at(`${item}/${sub}`, itemParams, ops);
  }

  if (r.namespaced && listRef && (verbs.has('list') || verbs.has('watch'))) {
    at(
      `${prefix}/${r.resource}`,
      [],
      [
        op(
          base,
          'get',
          `list${gvc}${r.kind}ForAllNamespaces`,
          `list or watch objects of kind ${r.kind}`,
          'list',
          {
            parameters: listParameters,
            produces: [...produces, 'application/json;stream=watch'],
            responses: [ok(listRef), unauthorized],
          },
        ),
      ],
    );
  }
  return paths;
}

function patchOp(
  base: { tag: string; gvk: GroupVersionKind },
  operationId: string,
  kind: string,
  sub: string,
  ref: string,
  r: OpenApiResource,
  produces: string[],
): ApiOperation {
  const consumes = ['application/json-patch+json', 'application/merge-patch+json'];
  if (r.strategicMerge !== false) consumes.push('application/strategic-merge-patch+json');
  consumes.push('application/apply-patch+yaml');
  const what = sub ? `${sub} of the specified ${kind}` : `the specified ${kind}`;
  return op(base, 'patch', operationId, `partially update ${what}`, 'patch', {
    parameters: patchParameters,
    body: { ref: primitiveNames.Patch, required: true },
    consumes,
    produces,
    responses: [ok(ref), created(ref), unauthorized],
  });
}

function op(
  base: { tag: string; gvk: GroupVersionKind },
  method: HttpMethod,
  operationId: string,
  description: string,
  action: string,
  rest: Partial<Pick<ApiOperation, 'parameters' | 'body' | 'consumes' | 'produces' | 'responses'>>,
): ApiOperation {
  return {
    method,
    operationId,
    description,
    action,
    gvk: base.gvk,
    tag: base.tag,
    parameters: rest.parameters ?? [],
    body: rest.body,
    consumes: rest.consumes ?? ['*/*'],
    produces: rest.produces ?? ['application/json'],
    responses: rest.responses ?? [],
  };
}

const ok = (ref: string): ApiResponse => ({ code: '200', description: 'OK', ref });
const created = (ref: string): ApiResponse => ({ code: '201', description: 'Created', ref });
const accepted = (ref: string): ApiResponse => ({ code: '202', description: 'Accepted', ref });

/**
 * Renders paths with a version's operation and parameter renderers; returns the rendered paths
 * and the definitions their bodies and responses name (the roots of the document's schemas).
 */
export function renderPaths(
  paths: readonly ApiPath[],
  operation: (o: ApiOperation) => Record<string, unknown>,
  parameter: (p: ParameterSpec) => Record<string, unknown>,
): { paths: Record<string, unknown>; roots: Set<string> } {
  const roots = new Set<string>();
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const item: Record<string, unknown> = {};
    for (const o of p.operations) {
      item[o.method] = operation(o);
      if (o.body) roots.add(o.body.ref);
      for (const r of o.responses) if (r.ref) roots.add(r.ref);
    }
    if (p.parameters.length > 0) item.parameters = p.parameters.map(parameter);
    out[p.path] = item;
  }
  return { paths: out, roots };
}
