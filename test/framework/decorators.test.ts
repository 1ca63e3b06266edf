/**
 * The decorator API against kuberx's in-process API server: each decorator's effect, and that a
 * decorated class compiles down to the builder.
 */
import {
  Client,
  Concurrency,
  ConfigMap,
  Controller,
  CustomResource,
  Finalizer,
  Index,
  Predicates,
  RequeuePolicy,
  Secret,
  TOKENS,
  Watches,
  labelSelectorPredicate,
  inject,
  isNotFound,
  kindOf,
  registerControllers,
  type KubernetesObject,
  type Manager,
  type ReconcileContext,
  type Request,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

let env: TestEnv;
let manager: Manager;
let done: Promise<void>;
const seen: string[] = [];
const cleaned: string[] = [];
const instances = new Set<unknown>();

@Controller({ for: ConfigMap, name: 'decorated' })
@Concurrency(3)
@RequeuePolicy({ baseDelayMs: 250, maxDelayMs: 60_000 })
class DecoratedController {
  constructor(@inject(Client) readonly client: Client) {}

  async reconcile(req: Request, ctx: ReconcileContext) {
    expect(ctx.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    seen.push(`${req.namespace}/${req.name}`);
  }

  @Watches(Secret)
  secretToConfigMap(secret: Readonly<KubernetesObject>): Request[] {
    return [{ namespace: secret.metadata!.namespace!, name: `for-${secret.metadata!.name}` }];
  }

  @Finalizer('example.com/cleanup')
  async cleanup(obj: Readonly<KubernetesObject>) {
    cleaned.push(obj.metadata!.name!);
  }

  @Index(ConfigMap, 'byFirstKey')
  byFirstKey(obj: Readonly<ConfigMap>): string[] {
    return Object.keys(obj.data ?? {}).slice(0, 1);
  }
}

@Controller({ for: Secret, name: 'per-reconcile', scope: 'reconcile' })
class PerReconcileController {
  constructor(@inject(TOKENS.Request) readonly request: Request) {
    instances.add(this);
  }
  async reconcile(req: Request) {
    expect(this.request).toEqual(req);
  }
}

const filtered: string[] = [];

@Controller({ for: ConfigMap, name: 'filtered' })
@Predicates(labelSelectorPredicate('pick=yes'))
class FilteredController {
  async reconcile(req: Request) {
    filtered.push(req.name);
  }
}

@CustomResource({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' })
class CronTab implements KubernetesObject {
  metadata?: KubernetesObject['metadata'];
}

beforeAll(async () => {
  env = await startTestEnv();
  manager = env.newManager();
  await registerControllers(
    manager,
    DecoratedController,
    PerReconcileController,
    FilteredController,
  );
  done = manager.start();
  await manager.elected();
});

afterAll(async () => {
  manager.stop();
  await done;
  await env.stop();
});

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

test('@CustomResource declares a kind on the class (plural and scope defaulted)', () => {
  expect(kindOf(CronTab)).toEqual({
    group: 'stable.example.com',
    version: 'v1',
    kind: 'CronTab',
    plural: 'crontabs',
    namespaced: true,
  });
});

test('the class compiles to a controller with the decorated name, workers and requeue policy', async () => {
  const other = env.newManager();
  const [controller] = await registerControllers(other, DecoratedController);
  expect(controller!.name).toBe('decorated');
  expect((controller as any).options.maxConcurrentReconciles).toBe(3);
  expect(controller!.queue.rateLimiter.when('x')).toBe(250);
  expect(controller!.queue.rateLimiter.when('x')).toBe(500);
});

test('@Finalizer adds its finalizer, runs cleanup on delete, then lets the object go', async () => {
  await env.client.create(cm('with-finalizer'));
  await eventually(async () => {
    const o = await env.client.get(ConfigMap, 'with-finalizer', { namespace: 'default' });
    return o.metadata?.finalizers?.includes('example.com/cleanup') ?? false;
  }, 'the finalizer to be added');
  await eventually(() => seen.includes('default/with-finalizer'), 'reconcile (apply) to run');
  await env.client.delete(ConfigMap, 'with-finalizer', { namespace: 'default' });
  await eventually(() => cleaned.includes('with-finalizer'), 'cleanup to run');
  await eventually(async () => {
    try {
      await env.client.get(ConfigMap, 'with-finalizer', { namespace: 'default' });
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }, 'the object to be gone');
});

test('@Watches maps events of another kind to requests', async () => {
  await env.client.create(cm('for-creds'));
  await eventually(() => seen.includes('default/for-creds'), 'the first reconcile');
  const before = seen.filter((s) => s === 'default/for-creds').length;
  await env.client.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'default' },
  });
  await eventually(
    () => seen.filter((s) => s === 'default/for-creds').length > before,
    'a reconcile caused by the Secret',
  );
});

test("@Index adds an index to the kind's cache", async () => {
  await env.client.create(cm('indexed', { alpha: '1', beta: '2' }));
  await eventually(async () => {
    const found = await manager.client.list(ConfigMap, {
      index: { name: 'byFirstKey', value: 'alpha' },
    });
    return found.some((o) => o.metadata?.name === 'indexed');
  }, 'the index entry');
});

test('scope "reconcile" builds a fresh instance per reconcile with the request injected', async () => {
  const before = instances.size;
  for (const n of ['s1', 's2']) {
    await env.client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: n, namespace: 'default' },
    });
  }
  await eventually(() => instances.size >= before + 2, 'two instances');
});

test('@Predicates filters the events of the reconciled kind', async () => {
  // Created first: were it let through, the single worker would reconcile it before 'picked'.
  await env.client.create(cm('ignored'));
  await env.client.create({
    ...cm('picked'),
    metadata: { name: 'picked', namespace: 'default', labels: { pick: 'yes' } },
  });
  await eventually(() => filtered.includes('picked'), 'the labelled object');
  expect(filtered).not.toContain('ignored');
});

test('a class without @Controller or without reconcile is refused', async () => {
  class Plain {}
  @Controller({ for: ConfigMap })
  class NoReconcile {}
  const m = env.newManager();
  await expect(registerControllers(m, Plain)).rejects.toThrow(
    'Plain is not decorated with @Controller',
  );
  await expect(registerControllers(m, NoReconcile)).rejects.toThrow(
    'NoReconcile has no reconcile(request, context) method',
  );
});
