/** The TTL-after-finished controller: deletes finished Jobs once their ttlSecondsAfterFinished passed. */
import type { ControllerDescriptor } from '../registry.js';
import { registerTTLAfterFinishedController } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export {
  TTLAfterFinishedController,
  registerTTLAfterFinishedController,
  jobFinishTime,
  needsCleanup,
  ttlLeft,
  type TTLAfterFinishedOptions,
} from './controller.js';

/** `--controllers` entry (`--concurrent-ttl-after-finished-syncs`, 5). */
export const ttlAfterFinishedController: ControllerDescriptor = {
  name: 'ttl-after-finished',
  aliases: ['ttl-after-finished-controller'],
  concurrencyFlag: 'concurrent-ttl-after-finished-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerTTLAfterFinishedController(ctx.manager, {
      concurrentSyncs: ctx.concurrency,
    })),
};
