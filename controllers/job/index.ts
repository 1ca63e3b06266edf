/**
 * The Job controller (see `controller.ts` and `sync.ts`) and its helpers: completion indexes,
 * pod failure backoff, podFailurePolicy and successPolicy matching.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newJobController, type JobControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export * from './indexes.js';
export * from './backoff.js';
export * from './policies.js';
export { finishedConditionOf, isJobFinished, isIndexedJob } from './utils.js';
export { JobController, newJobController, type JobControllerOptions } from './controller.js';

/** Registers the Job controller (`job`) with `mgr`. */
export async function registerJobController(
  mgr: Manager,
  options: JobControllerOptions = {},
): Promise<RuntimeController> {
  return (await newJobController(mgr, options)).controller;
}

/** `--controllers` entry of the Job controller (`--concurrent-job-syncs`, 5). */
export const jobController: ControllerDescriptor = {
  name: 'job',
  aliases: ['job-controller'],
  concurrencyFlag: 'concurrent-job-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerJobController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};
