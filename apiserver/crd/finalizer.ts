/**
 * Deletion of a CRD (apiextensions-apiserver pkg/controller/finalizer/crd_finalizer.go), run for a
 * CRD that has a `deletionTimestamp` and the `customresourcecleanup.apiextensions.k8s.io`
 * finalizer:
 *
 * 1. `Terminating` True / `InstanceDeletionInProgress` ("CustomResource deletion is in progress");
 *    creates of the custom resource are refused from now on.
 * 2. If the CRD was Established, every instance is deleted through the served resource's store
 *    (so finalizers, admission and the usual deletion rules apply), then the controller checks
 *    every `pollMs` until none is left. A delete that fails → `InstanceDeletionFailed` and a
 *    retry; instances still there after `timeoutMs` → `InstanceDeletionCheck` and a retry (an
 *    instance whose own finalizer never goes keeps the CRD, as upstream).
 *    Never established → `NeverEstablished`.
 * 3. `Terminating` False (`InstanceDeletionCompleted`, "removed all instances") and the finalizer
 *    removed in the same status write, which deletes the CRD.
 */
import { isNotFound } from '../../common/index.js';
import type { GenericStore } from '../registry/generic/store.js';
import type { KubeObject } from '../registry/index.js';
import {
  findCondition,
  isConditionTrue,
  removeFinalizer,
  setCondition,
  Established,
  Terminating,
  type CRDCondition,
} from './conditions.js';
import * as defaults from './defaults.js';

export interface FinalizerContext {
  /** A store serving the custom resource (any served version; they share storage). */
  instanceStore(): GenericStore | undefined;
  writeStatus(mutate: (crd: KubeObject) => void): Promise<void>;
  /** RFC 3339 now. */
  now(): string;
  /** Milliseconds since this CRD's deletion was first seen. */
  elapsedMs(): number;
  /** Syncs the CRD again after `ms`. */
  requeueAfter(ms: number): void;
  pollMs: number;
  timeoutMs: number;
}

const inProgress: CRDCondition = {
  type: Terminating,
  status: 'True',
  reason: 'InstanceDeletionInProgress',
  message: 'CustomResource deletion is in progress',
};

/** One pass of the finalizer; see the module comment. */
export async function finalizeCRD(crd: KubeObject, ctx: FinalizerContext): Promise<void> {
  const current = findCondition(crd, Terminating);
  if (
    current?.reason !== 'InstanceDeletionInProgress' &&
    current?.reason !== 'InstanceDeletionCheck'
  ) {
    await ctx.writeStatus((c) => setCondition(c, inProgress, ctx.now()));
  }
  let done: CRDCondition;
  if (isConditionTrue(crd, Established)) {
    const outcome = await deleteInstances(ctx);
    if (outcome.kind === 'failed') {
      await ctx.writeStatus((c) => setCondition(c, outcome.condition, ctx.now()));
      throw outcome.error;
    }
    if (outcome.kind === 'remaining') {
      if (ctx.elapsedMs() < ctx.timeoutMs) {
        ctx.requeueAfter(ctx.pollMs);
        return;
      }
      const check: CRDCondition = {
        type: Terminating,
        status: 'True',
        reason: 'InstanceDeletionCheck',
        message:
          'could not confirm zero CustomResources remaining: timed out waiting for the condition',
      };
      await ctx.writeStatus((c) => setCondition(c, check, ctx.now()));
      ctx.requeueAfter(ctx.pollMs);
      return;
    }
    done = {
      type: Terminating,
      status: 'False',
      reason: 'InstanceDeletionCompleted',
      message: 'removed all instances',
    };
  } else {
    done = {
      type: Terminating,
      status: 'False',
      reason: 'NeverEstablished',
      message: 'resource was never established',
    };
  }
  await ctx.writeStatus((c) => {
    setCondition(c, done, ctx.now());
    removeFinalizer(c, defaults.customResourceCleanupFinalizer);
  });
}

type Outcome =
  | { kind: 'gone' }
  | { kind: 'remaining'; count: number }
  | { kind: 'failed'; condition: CRDCondition; error: Error };

/** Deletes every instance once; reports whether some remain (e.g. held by finalizers). */
async function deleteInstances(ctx: FinalizerContext): Promise<Outcome> {
  const store = ctx.instanceStore();
  if (!store) return { kind: 'gone' };
  const prefix = store.listPrefix('');
  const listed = await store.storage.list(prefix, { keysOnly: true });
  const errors: string[] = [];
  for (const kv of listed.kvs) {
    const rest = kv.key.slice(prefix.length).split('/');
    const [namespace, name] = store.type.namespaced ? [rest[0]!, rest[1]!] : ['', rest[0]!];
    try {
      await store.delete(name, {}, { namespace, fieldManager: defaults.fieldManager });
    } catch (err) {
      if (!isNotFound(err)) errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (errors.length > 0) {
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    return {
      kind: 'failed',
      condition: {
        type: Terminating,
        status: 'True',
        reason: 'InstanceDeletionFailed',
        message: `could not issue all deletes: ${message}`,
      },
      error: new Error(message),
    };
  }
  const left = await store.storage.list(prefix, { countOnly: true });
  return left.count > 0 ? { kind: 'remaining', count: left.count } : { kind: 'gone' };
}
