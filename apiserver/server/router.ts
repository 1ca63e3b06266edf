/**
 * Dispatch of resource requests to handlers, after the filter chain: resolves the type from the
 * URL, checks scope (namespaced or not) and verbs, and picks the handler for the verb and
 * subresource. Unknown resources and subresources are 404; verbs a resource does not serve are
 * 405 with upstream's wording.
 */
import { newMethodNotSupported } from '../../common/index.js';
import type { HandlerContext, ServerServices } from '../handlers/context.js';
import { handleDelete, handleDeleteCollection } from '../handlers/delete.js';
import { handlePatch, type Applier } from '../handlers/patch.js';
import { handleGet, handleList } from '../handlers/read.js';
import { handleScaleGet, handleScaleWrite } from '../handlers/scale.js';
import { handleWatch } from '../handlers/watch.js';
import { handleCreate, handleUpdate } from '../handlers/write.js';
import { resourceVerbs } from '../discovery/subresources.js';
import type { GenericStore } from '../registry/generic/store.js';
import type { ResourceType } from '../registry/types.js';
import { methodNotAllowed, notFound } from './nonresource.js';
import type { RequestScope } from './scope.js';

/** A handler for a subresource with special REST behaviour (pods/binding, namespaces/finalize). */
export type SubresourceHandler = (ctx: HandlerContext) => Promise<void>;

export interface RouterDeps {
  services: ServerServices;
  storeFor(group: string, version: string, resource: string): GenericStore | undefined;
  /** Special subresource handlers by `group/resource/subresource` and verb. */
  subresources: Map<string, Partial<Record<string, SubresourceHandler>>>;
  applier?: Applier;
}

/** The verbs of a type, computed once per type object (every request checks them). */
const verbsByType = new WeakMap<ResourceType, ReadonlySet<string>>();

function servedVerbs(type: ResourceType): ReadonlySet<string> {
  let verbs = verbsByType.get(type);
  if (!verbs) verbsByType.set(type, (verbs = new Set(resourceVerbs(type))));
  return verbs;
}

export async function routeResource(deps: RouterDeps, scope: RequestScope): Promise<void> {
  const { info } = scope;
  const store = deps.storeFor(info.apiGroup, info.apiVersion, info.resource);
  if (!store) throw notFound();
  const type = store.type;
  if (!type.namespaced && info.namespace !== '' && info.resource !== 'namespaces') throw notFound();
  if (type.namespaced && info.name !== '' && info.namespace === '') throw notFound();
  const ctx: HandlerContext = { scope, store, services: deps.services };
  const verb = info.verb;

  if (info.subresource === '') {
    if (!servedVerbs(type).has(verb)) {
      throw newMethodNotSupported({ group: type.group, resource: type.resource }, verb);
    }
    switch (verb) {
      case 'get':
        return handleGet(ctx);
      case 'list':
        return handleList(ctx);
      case 'watch':
        return handleWatch(ctx);
      case 'create':
        if (info.name !== '' || (type.namespaced && info.namespace === ''))
          throw methodNotAllowed();
        return handleCreate(ctx);
      case 'update':
        if (info.name === '') throw methodNotAllowed(); // PUT on a collection, as upstream
        return handleUpdate(ctx);
      case 'patch':
        if (info.name === '') throw methodNotAllowed();
        return handlePatch(ctx, '', deps.applier);
      case 'delete':
        return handleDelete(ctx);
      case 'deletecollection':
        return handleDeleteCollection(ctx);
      default:
        throw methodNotAllowed();
    }
  }

  if (info.parts.length > 3 || !(type.subresources ?? []).includes(info.subresource)) {
    throw notFound();
  }
  const special = deps.subresources.get(`${type.group}/${type.resource}/${info.subresource}`);
  if (special) {
    const handler = special[verb];
    if (!handler) throw methodNotAllowed();
    return handler(ctx);
  }
  if (info.subresource === 'status') {
    if (verb === 'get') return handleGet(ctx);
    if (verb === 'update') return handleUpdate(ctx, 'status');
    if (verb === 'patch') return handlePatch(ctx, 'status', deps.applier);
    throw methodNotAllowed();
  }
  if (info.subresource === 'scale') {
    if (verb === 'get') return handleScaleGet(ctx);
    if (verb === 'update') return handleScaleWrite(ctx, false);
    if (verb === 'patch') return handleScaleWrite(ctx, true);
    throw methodNotAllowed();
  }
  throw notFound();
}
