/**
 * The ReplicaSet and ReplicationController controllers: one implementation parameterised by kind
 * (see `controller.ts`). Register with {@link registerReplicaSetController} and
 * {@link registerReplicationControllerController}.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { defaultConcurrentSyncs } from './defaults.js';
import { newReplicaSetController, type ReplicaSetControllerOptions } from './controller.js';
import { replicaSetKind, replicationControllerKind } from './kinds.js';

export * from './defaults.js';
export {
  ReplicaSetController,
  newReplicaSetController,
  type ReplicaSetControllerOptions,
} from './controller.js';
export {
  replicaSetKind,
  replicationControllerKind,
  type ReplicaKind,
  type ReplicaObject,
  type ReplicaStatus,
} from './kinds.js';
export { calculateStatus, updateReplicaStatus, replicaFailure } from './status.js';

/** Registers the ReplicaSet controller (`replicaset`) with `mgr`. */
export async function registerReplicaSetController(
  mgr: Manager,
  options: ReplicaSetControllerOptions = {},
): Promise<RuntimeController> {
  return (await newReplicaSetController(mgr, replicaSetKind, options)).controller;
}

/** Registers the ReplicationController controller (`replicationcontroller`) with `mgr`. */
export async function registerReplicationControllerController(
  mgr: Manager,
  options: ReplicaSetControllerOptions = {},
): Promise<RuntimeController> {
  return (await newReplicaSetController(mgr, replicationControllerKind, options)).controller;
}

/** `--controllers` entry of the ReplicaSet controller (`--concurrent-replicaset-syncs`, 5). */
export const replicaSetController: ControllerDescriptor = {
  name: 'replicaset',
  aliases: ['replicaset-controller'],
  concurrencyFlag: 'concurrent-replicaset-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerReplicaSetController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};

/** `--controllers` entry of the ReplicationController controller (`--concurrent-rc-syncs`, 5). */
export const replicationControllerController: ControllerDescriptor = {
  name: 'replicationcontroller',
  aliases: ['replicationcontroller-controller'],
  concurrencyFlag: 'concurrent-rc-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerReplicationControllerController(ctx.manager, {
      concurrentSyncs: ctx.concurrency,
    })),
};
