/**
 * The Swagger 2.0 document served at `/openapi/v2`: every served path and every definition those
 * paths reach, in upstream's shape (`info.title` Kubernetes, BearerToken security, per-operation
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind`, inline parameters).
 */
import type { SchemaSet } from '../schema/index.js';
import { definitionClosure, forEachRef, toV2 } from './definitions.js';
import type { ParameterSpec } from './parameters.js';
import type { ApiOperation, ApiPath } from './paths.js';
import { renderPaths } from './paths.js';

type Out = Record<string, unknown>;

export const securityDefinitions = {
  BearerToken: {
    description: 'Bearer Token authentication',
    in: 'header',
    name: 'authorization',
    type: 'apiKey',
  },
};

/** Builds the v2 document for `paths`. */
export function buildV2(paths: readonly ApiPath[], schemas: SchemaSet): Out {
  const { paths: outPaths, roots } = renderPaths(paths, operationV2, parameterV2);
  // Every definition tagged with a kind is published, served or not, so clients find any GVK.
  for (const name of schemas.names()) {
    const def = schemas.get(name);
    if (def?.['x-kubernetes-group-version-kind']) {
      roots.add(name);
      forEachRef(def, (ref) => roots.add(ref));
    }
  }
  const definitions: Out = {};
  for (const name of definitionClosure(schemas, roots))
    definitions[name] = toV2(schemas.get(name)!);
  return {
    definitions,
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: outPaths,
    security: [{ BearerToken: [] }],
    securityDefinitions,
    swagger: '2.0',
  };
}

function operationV2(o: ApiOperation): Out {
  const params: Out[] = [];
  if (o.body) {
    const body: Out = { in: 'body', name: 'body', schema: { $ref: `#/definitions/${o.body.ref}` } };
    if (o.body.required) body.required = true;
    params.push(body);
  }
  params.push(...o.parameters.map(parameterV2));
  const responses: Out = {};
  for (const r of o.responses) {
    responses[r.code] = r.ref
      ? { description: r.description, schema: { $ref: `#/definitions/${r.ref}` } }
      : { description: r.description };
  }
  const out: Out = {
    consumes: o.consumes,
    description: o.description,
    operationId: o.operationId,
  };
  if (params.length > 0) out.parameters = params;
  out.produces = o.produces;
  out.responses = responses;
  out.schemes = ['https'];
  out.tags = [o.tag];
  if (o.action) {
    out['x-kubernetes-action'] = o.action;
    if (o.gvk) out['x-kubernetes-group-version-kind'] = o.gvk;
  }
  return out;
}

export function parameterV2(p: ParameterSpec): Out {
  const out: Out = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.type;
  out.uniqueItems = true;
  return out;
}
