/**
 * The CronJob controller (see `controller.ts`) and its scheduling arithmetic; the cron parser is
 * `common/cron` (shared with the API server's validation).
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newCronJobController, type CronJobControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export * from './utils.js';
export {
  CronJobController,
  newCronJobController,
  type CronJobControllerOptions,
} from './controller.js';

/** Registers the CronJob controller (`cronjob`) with `mgr`. */
export async function registerCronJobController(
  mgr: Manager,
  options: CronJobControllerOptions = {},
): Promise<RuntimeController> {
  return (await newCronJobController(mgr, options)).controller;
}

/** `--controllers` entry of the CronJob controller (`--concurrent-cron-job-syncs`, 5). */
export const cronJobController: ControllerDescriptor = {
  name: 'cronjob',
  aliases: ['cronjob-controller'],
  concurrencyFlag: 'concurrent-cron-job-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerCronJobController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};
