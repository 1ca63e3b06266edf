/**
 * Reads one watch response to its end. The stream is abandoned (and the promise rejects with
 * {@link WatchIdleError}) when nothing at all arrived for `idleMs` on the clock: a hung connection,
 * the failure client-node users hit most (kubernetes-client/javascript#364, #596, #958).
 */
import type { Readable } from 'node:stream';
import type { Clock, Timer } from '../../common/index.js';
import { WatchDecoder, type RawWatchEvent } from './decoder.js';

export class WatchIdleError extends Error {
  constructor(idleMs: number) {
    super(`watch sent nothing for ${Math.round(idleMs / 1000)}s; re-opening it`);
    this.name = 'WatchIdleError';
  }
}

/**
 * Feeds every event of `body` to `onEvent` until the server ends the response (resolves with the
 * number of events) or something fails (rejects: network error, idle timeout, undecodable line,
 * or whatever `onEvent` throws — which also closes the stream).
 */
export async function consumeWatch(
  body: Readable,
  options: { clock: Clock; idleMs: number; onEvent: (event: RawWatchEvent) => void },
): Promise<number> {
  const { clock, idleMs } = options;
  const decoder = new WatchDecoder();
  let count = 0;
  const onEvent = (e: RawWatchEvent): void => {
    count++;
    options.onEvent(e);
  };
  let lastData = clock.now();
  let timer: Timer | undefined;
  const arm = (): void => {
    timer = clock.setTimeout(
      () => {
        if (clock.now() - lastData >= idleMs) body.destroy(new WatchIdleError(idleMs));
        else arm();
      },
      lastData + idleMs - clock.now(),
    );
  };
  arm();
  try {
    for await (const chunk of body) {
      lastData = clock.now();
      decoder.push(chunk as Buffer, onEvent);
    }
    decoder.end(onEvent);
    return count;
  } finally {
    timer?.cancel();
    body.destroy();
  }
}
