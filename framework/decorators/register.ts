/**
 * Compiles decorated controller classes down to the builder. {@link registerControllers} is what
 * `kuberx run` calls for every decorated class a module exports.
 */
import 'reflect-metadata';
import { Container } from 'inversify';
import { isNotFound } from '../../common/index.js';
import type { KubernetesObject } from '../client/index.js';
import {
  controllerManagedBy,
  finalizer,
  type Controller,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '../controller/index.js';
import { TOKENS, type Manager } from '../manager/index.js';
import { ItemExponentialFailureRateLimiter } from '../workqueue/index.js';
import {
  concurrencyKey,
  controllerKey,
  finalizerKey,
  indexesKey,
  predicatesKey,
  requeueKey,
  watchesKey,
  type ControllerSpec,
  type IndexSpec,
  type MapMethod,
  type RequeueSpec,
  type WatchSpec,
} from './metadata.js';

type Instance = Record<string | symbol, unknown> & {
  reconcile?(req: Request, ctx: ReconcileContext): Promise<Result | void> | Result | void;
};
type Class = new (...args: never[]) => unknown;

/** True for a class decorated with `@Controller`. */
export function isControllerClass(value: unknown): value is Class {
  return typeof value === 'function' && Reflect.hasMetadata(controllerKey, value);
}

/** Builds and registers the controllers of decorated classes with `manager`. */
export async function registerControllers(
  manager: Manager,
  ...classes: Class[]
): Promise<Controller[]> {
  const out: Controller[] = [];
  for (const cls of classes) out.push(await registerController(manager, cls));
  return out;
}

async function registerController(manager: Manager, cls: Class): Promise<Controller> {
  const spec: ControllerSpec | undefined = Reflect.getMetadata(controllerKey, cls);
  if (!spec) throw new Error(`${cls.name} is not decorated with @Controller`);
  if (typeof (cls.prototype as Instance).reconcile !== 'function') {
    throw new Error(`${cls.name} has no reconcile(request, context) method`);
  }
  const scope = spec.scope ?? 'singleton';
  if (scope === 'singleton') manager.container.bind(cls).toSelf().inSingletonScope();
  const singleton = scope === 'singleton' ? (manager.container.get(cls) as Instance) : undefined;
  const proto = cls.prototype as Instance;
  const target = singleton ?? proto;

  const instanceFor = (request: Request, ctx: ReconcileContext): Instance => {
    if (singleton) return singleton;
    const child = new Container({ parent: manager.container });
    child.bind(TOKENS.Request).toConstantValue(request);
    child.bind(TOKENS.ReconcileContext).toConstantValue(ctx);
    child.bind(cls).toSelf();
    return child.get(cls) as Instance;
  };

  const fin: { name: string; method: string | symbol } | undefined = Reflect.getMetadata(
    finalizerKey,
    cls,
  );
  const reconciler: Reconciler = fin
    ? {
        reconcile: async (request, ctx) => {
          let obj: Readonly<KubernetesObject>;
          try {
            obj = await manager.client.get(spec.for, request.name, {
              namespace: request.namespace,
            });
          } catch (err) {
            if (isNotFound(err)) return;
            throw err;
          }
          const instance = instanceFor(request, ctx);
          return finalizer(manager.client, fin.name, obj, (e) =>
            e.type === 'apply'
              ? instance.reconcile!(request, ctx)
              : (
                  instance[fin.method] as (
                    o: unknown,
                    c: ReconcileContext,
                  ) => Promise<Result | void>
                ).call(instance, e.object, ctx),
          );
        },
      }
    : { reconcile: (request, ctx) => instanceFor(request, ctx).reconcile!(request, ctx) };

  for (const index of (Reflect.getMetadata(indexesKey, cls) ?? []) as IndexSpec[]) {
    const fn = target[index.method] as (o: unknown) => string[];
    const informer = await manager.informers.informerFor(index.kind);
    informer.addIndexers({ [index.name]: (o) => fn.call(singleton, o) });
  }

  const builder = controllerManagedBy(manager).for(spec.for, {
    predicates: Reflect.getMetadata(predicatesKey, cls),
    metadataOnly: spec.metadataOnly,
  });
  for (const owned of spec.owns ?? []) builder.owns(owned);
  for (const watch of (Reflect.getMetadata(watchesKey, cls) ?? []) as WatchSpec[]) {
    const map = target[watch.method] as MapMethod;
    builder.watches(watch.kind, (obj) => map.call(singleton, obj), {
      predicates: watch.predicates,
    });
  }
  const workers: number | undefined = Reflect.getMetadata(concurrencyKey, cls);
  const requeue: RequeueSpec | undefined = Reflect.getMetadata(requeueKey, cls);
  builder.withOptions({
    ...(workers ? { maxConcurrentReconciles: workers } : {}),
    ...(requeue ? { rateLimiter: new ItemExponentialFailureRateLimiter<string>(requeue) } : {}),
    ...(spec.withoutLeaderElection ? { needLeaderElection: false } : {}),
  });
  if (spec.name) builder.named(spec.name);
  return builder.complete(reconciler);
}
