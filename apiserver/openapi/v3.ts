/**
 * OpenAPI v3 documents, one per group/version, served at `/openapi/v3/api/v1` and
 * `/openapi/v3/apis/<group>/<version>`: the group/version's paths with their operations (PATCH
 * operations list the `fieldValidation` query parameter, which kubectl checks), and the
 * definitions they reach under `components.schemas`, carrying `x-kubernetes-group-version-kind`
 * for `kubectl explain`.
 */
import type { SchemaSet } from '../schema/index.js';
import { definitionClosure, toV3 } from './definitions.js';
import type { ParameterSpec } from './parameters.js';
import type { ApiOperation, ApiPath } from './paths.js';
import { renderPaths } from './paths.js';

type Out = Record<string, unknown>;

/** The key of a group/version in the `/openapi/v3` index: `api/v1`, `apis/apps/v1`. */
export function v3PathKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Builds the v3 document of one group/version from its paths. */
export function buildV3(paths: readonly ApiPath[], schemas: SchemaSet): Out {
  const { paths: outPaths, roots } = renderPaths(paths, operationV3, parameterV3);
  const componentSchemas: Out = {};
  for (const name of definitionClosure(schemas, roots))
    componentSchemas[name] = toV3(schemas.get(name)!);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: outPaths,
    components: {
      schemas: componentSchemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

function operationV3(o: ApiOperation): Out {
  const out: Out = { tags: [o.tag], description: o.description, operationId: o.operationId };
  if (o.parameters.length > 0) out.parameters = o.parameters.map(parameterV3);
  if (o.body) {
    const content: Out = {};
    for (const type of o.consumes)
      content[type] = { schema: { $ref: `#/components/schemas/${o.body.ref}` } };
    out.requestBody = o.body.required ? { content, required: true } : { content };
  }
  const responses: Out = {};
  for (const r of o.responses) {
    if (!r.ref) {
      responses[r.code] = { description: r.description };
      continue;
    }
    const content: Out = {};
    for (const type of o.produces)
      content[type] = { schema: { $ref: `#/components/schemas/${r.ref}` } };
    responses[r.code] = { description: r.description, content };
  }
  out.responses = responses;
  if (o.action) {
    out['x-kubernetes-action'] = o.action;
    if (o.gvk) out['x-kubernetes-group-version-kind'] = o.gvk;
  }
  return out;
}

function parameterV3(p: ParameterSpec): Out {
  const out: Out = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}
