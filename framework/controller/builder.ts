/**
 * The controller builder (controller-runtime `pkg/builder`): the fluent way to say what a
 * controller reconciles and what it watches. The decorators compile down to these calls.
 *
 * ```ts
 * controllerManagedBy(manager)
 *   .for(CronTab)
 *   .owns(kinds.Deployment)
 *   .watches(kinds.ConfigMap, (cm) => [{ namespace: cm.metadata!.namespace!, name: 'x' }])
 *   .withEventFilter(generationChanged)
 *   .withOptions({ maxConcurrentReconciles: 2 })
 *   .complete(reconciler);
 * ```
 */
import { isNotFound } from '../../common/index.js';
import {
  staticKindOf,
  type Client,
  type KindRef,
  type KubernetesObject,
  type ObjectOf,
} from '../client/index.js';
import type { InformerScope } from '../informer/index.js';
import {
  Controller,
  type ControllerOptions,
  type InformerProvider,
  type WatchSource,
} from './controller.js';
import {
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  type EventHandler,
  type MapFunc,
} from './handlers.js';
import type { Predicate } from './predicates.js';
import type { ReconcileContext, Reconciler, Request, Result } from './reconcile.js';

/** What a builder needs from the manager. */
export interface ControllerHost {
  readonly informers: InformerProvider;
  /** Defaults for every controller (clock, metrics providers…). */
  controllerDefaults(): Partial<ControllerOptions>;
  /** Registers the built controller so it starts with the manager. */
  addController(controller: Controller): void;
}

export interface ForOptions {
  predicates?: Predicate<KubernetesObject>[];
  /** Cache only metadata for this kind. */
  metadataOnly?: boolean;
}

export interface OwnsOptions extends ForOptions {
  /** Only children whose controller is the `for` object. Default true. */
  onlyController?: boolean;
}

export interface WatchesOptions extends ForOptions {
  scope?: InformerScope;
}

export class ControllerBuilder {
  private forKind: KindRef | undefined;
  private forOptions: ForOptions = {};
  private readonly owned: Array<{ kind: KindRef; options: OwnsOptions }> = [];
  private readonly extra: Array<{ kind: KindRef; handler: EventHandler; options: WatchesOptions }> =
    [];
  private readonly globalPredicates: Predicate<KubernetesObject>[] = [];
  private options: Partial<Omit<ControllerOptions, 'reconciler'>> = {};
  private name: string | undefined;

  constructor(private readonly host: ControllerHost) {}

  /** The kind this controller reconciles; its events enqueue the object itself. */
  for(kind: KindRef, options: ForOptions = {}): this {
    if (this.forKind)
      throw new Error(
        'For(...) should only be called once, could not assign multiple objects for reconciliation',
      );
    this.forKind = kind;
    this.forOptions = options;
    return this;
  }

  /** A kind this controller creates; its events enqueue the owning `for` object. */
  owns(kind: KindRef, options: OwnsOptions = {}): this {
    this.owned.push({ kind, options });
    return this;
  }

  /** Any other kind, mapped to requests by a handler or a map function. */
  watches<R extends KindRef>(
    kind: R,
    handler: EventHandler | MapFunc<ObjectOf<R> & KubernetesObject>,
    options: WatchesOptions = {},
  ): this {
    const h =
      typeof handler === 'function'
        ? (enqueueRequestsFromMapFunc(handler as MapFunc<KubernetesObject>) as EventHandler)
        : handler;
    this.extra.push({ kind, handler: h, options });
    return this;
  }

  /** Predicates applied to every watch of this controller. */
  withEventFilter(...predicates: Predicate<KubernetesObject>[]): this {
    this.globalPredicates.push(...predicates);
    return this;
  }

  withOptions(options: Partial<Omit<ControllerOptions, 'reconciler' | 'name'>>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** The controller's name (metrics, logs). Default: the lower-case `for` kind. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** Builds the controller and registers it with the host. */
  complete(reconciler: Reconciler): Controller {
    return this.build(reconciler);
  }

  build(reconciler: Reconciler): Controller {
    if (!this.forKind) throw new Error('must provide an object for reconciliation');
    const forGk = groupKindOf(this.forKind);
    const name = this.name ?? forGk.kind.toLowerCase();
    const controller = new Controller(
      { ...this.host.controllerDefaults(), ...this.options, name, reconciler },
      this.host.informers,
    );
    const sources: WatchSource[] = [
      {
        kind: this.forKind,
        scope: { metadataOnly: this.forOptions.metadataOnly },
        handler: enqueueRequestForObject(),
        predicates: [...this.globalPredicates, ...(this.forOptions.predicates ?? [])],
      },
      ...this.owned.map(({ kind, options }) => ({
        kind,
        scope: { metadataOnly: options.metadataOnly },
        handler: enqueueRequestForOwner(forGk, { onlyController: options.onlyController ?? true }),
        predicates: [...this.globalPredicates, ...(options.predicates ?? [])],
      })),
      ...this.extra.map(({ kind, handler, options }) => ({
        kind,
        scope: { ...options.scope, metadataOnly: options.metadataOnly },
        handler,
        predicates: [...this.globalPredicates, ...(options.predicates ?? [])],
      })),
    ];
    for (const source of sources) void controller.watch(source);
    this.host.addController(controller);
    return controller;
  }
}

/** Starts a builder for a controller managed by `host`. */
export function controllerManagedBy(host: ControllerHost): ControllerBuilder {
  return new ControllerBuilder(host);
}

function groupKindOf(ref: KindRef): { group: string; kind: string; namespaced?: boolean } {
  const full = staticKindOf(ref);
  if (full) return { group: full.group, kind: full.kind, namespaced: full.namespaced };
  const gvk = ref as { group: string; kind: string };
  return { group: gvk.group, kind: gvk.kind };
}

/**
 * A reconciler of objects rather than requests (controller-runtime `ObjectReconciler`): fetches
 * the object from the client's cache first; a missing object (already deleted) is not an error and
 * `reconcile` is not called.
 */
export function objectReconciler<R extends KindRef>(
  client: Client,
  kind: R,
  reconcile: (
    obj: Readonly<ObjectOf<R>>,
    context: ReconcileContext,
  ) => Promise<Result | void> | Result | void,
): Reconciler {
  return {
    async reconcile(request: Request, context: ReconcileContext) {
      let obj;
      try {
        obj = await client.get(kind, request.name, { namespace: request.namespace });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      return reconcile(obj, context);
    },
  };
}
