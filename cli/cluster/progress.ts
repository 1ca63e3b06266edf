/**
 * Start-up progress on stderr: on a terminal, one line redrawn at most every 100 ms; otherwise a
 * line at every 10 %. Nothing below {@link progressFromNodes} items.
 */
import { progressFromNodes } from './defaults.js';

export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
}

export function progressReporter(
  sink: ProgressSink,
  label: string,
  total: number,
  now: () => number = Date.now,
): (done: number) => void {
  if (total < progressFromNodes) return () => {};
  let lastDraw = -Infinity;
  let lastDecile = -1;
  const width = 30;
  return (done) => {
    const finished = done >= total;
    if (sink.isTTY) {
      if (!finished && now() - lastDraw < 100) return;
      lastDraw = now();
      const filled = Math.round((done / total) * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      sink.write(`\r${label} [${bar}] ${done}/${total}${finished ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor((done / total) * 10);
    if (decile === lastDecile && !finished) return;
    lastDecile = decile;
    sink.write(`${label}: ${done}/${total}\n`);
  };
}
