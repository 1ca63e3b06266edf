/**
 * Decorators for controllers and custom resources (reflect-metadata). They only record what the
 * class says; {@link registerControllers} turns a decorated class into exactly the builder calls
 * a user could write by hand (`controllerManagedBy(manager).for(…).owns(…).watches(…)…`).
 *
 * ```ts
 * @CustomResource({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' })
 * class CronTab { apiVersion?: string; kind?: string; metadata?: ObjectMeta; spec?: CronTabSpec }
 *
 * @Controller({ for: CronTab, owns: [Deployment] })
 * @Concurrency(2)
 * class CronTabController {
 *   constructor(private readonly client: Client) {}        // injected by the manager
 *   async reconcile(req: Request, ctx: ReconcileContext) { … }
 *   @Watches(ConfigMap) configMapToCronTabs(cm: ConfigMap): Request[] { … }
 *   @Finalizer('stable.example.com/cleanup') async cleanup(crontab: CronTab) { … }
 *   @Index(Deployment, 'byImage') byImage(d: Deployment): string[] { … }
 * }
 * ```
 */
import 'reflect-metadata';
import { injectable } from 'inversify';
import { kindSymbol, type Kind, type KindRef, type KubernetesObject } from '../client/index.js';
import type { Predicate } from '../controller/index.js';
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
  type RequeueSpec,
  type WatchSpec,
} from './metadata.js';

type Class = abstract new (...args: never[]) => unknown;

export interface CustomResourceSpec {
  group: string;
  version: string;
  kind: string;
  /** Default: lower-case kind + `s`. */
  plural?: string;
  /** Default true. */
  namespaced?: boolean;
}

/** Declares a class as the TypeScript shape of a custom resource with its group/version/kind. */
export function CustomResource(spec: CustomResourceSpec) {
  return <C extends abstract new (...args: never[]) => KubernetesObject>(target: C): C => {
    const kind: Kind = Object.freeze({
      group: spec.group,
      version: spec.version,
      kind: spec.kind,
      plural: spec.plural ?? `${spec.kind.toLowerCase()}s`,
      namespaced: spec.namespaced ?? true,
    });
    Object.defineProperty(target, kindSymbol, { value: kind, enumerable: false });
    return target;
  };
}

/** Marks a class as a controller reconciling `spec.for` (and makes it injectable). */
export function Controller(spec: ControllerSpec) {
  return <C extends Class>(target: C): C => {
    Reflect.defineMetadata(controllerKey, spec, target);
    injectable()(target as never);
    return target;
  };
}

/** Predicates for the `for` kind's events. */
export function Predicates(...predicates: Predicate<KubernetesObject>[]) {
  return <C extends Class>(target: C): C => {
    Reflect.defineMetadata(predicatesKey, predicates, target);
    return target;
  };
}

/** Workers of the controller (`maxConcurrentReconciles`). */
export function Concurrency(workers: number) {
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error('Concurrency needs a whole number >= 1');
  return <C extends Class>(target: C): C => {
    Reflect.defineMetadata(concurrencyKey, workers, target);
    return target;
  };
}

/** The per-item retry backoff after errors. */
export function RequeuePolicy(spec: RequeueSpec) {
  return <C extends Class>(target: C): C => {
    Reflect.defineMetadata(requeueKey, spec, target);
    return target;
  };
}

function appendMethodMetadata<T>(key: symbol, target: object, value: T): void {
  const ctor = (target as { constructor: object }).constructor;
  const list: T[] = Reflect.getOwnMetadata(key, ctor) ?? [];
  Reflect.defineMetadata(key, [...list, value], ctor);
}

/**
 * Watches `kind`; the decorated method maps one of its objects to the requests to enqueue
 * (`(obj) => Request[]`).
 */
export function Watches(
  kind: KindRef,
  options: { predicates?: Predicate<KubernetesObject>[] } = {},
) {
  return (target: object, method: string | symbol): void => {
    appendMethodMetadata<WatchSpec>(watchesKey, target, {
      kind,
      method,
      predicates: options.predicates,
    });
  };
}

/**
 * The decorated method cleans up when a `for` object is deleted; a finalizer named `name` keeps
 * the object until it succeeds (see `finalizer` for the guarantees). `reconcile` then only runs
 * for live objects that carry the finalizer.
 */
export function Finalizer(name: string) {
  return (target: object, method: string | symbol): void => {
    const ctor = (target as { constructor: object }).constructor;
    Reflect.defineMetadata(finalizerKey, { name, method }, ctor);
  };
}

/**
 * The decorated method is an index function on `kind`'s cache under `name`
 * (`(obj) => string[]`). It is called without `this`: keep it pure.
 */
export function Index(kind: KindRef, name: string) {
  return (target: object, method: string | symbol): void => {
    appendMethodMetadata<IndexSpec>(indexesKey, target, { kind, name, method });
  };
}

export function controllerSpecOf(target: object): ControllerSpec | undefined {
  return Reflect.getMetadata(controllerKey, target);
}
