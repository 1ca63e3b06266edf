/**
 * Splits a watch response body into events: one JSON `WatchEvent` per line. Multi-byte characters
 * and lines torn across chunks are reassembled; a line that is not JSON is reported as an error
 * (client-node drops such lines silently).
 */
import { StringDecoder } from 'node:string_decoder';

/** A decoded watch event as it is on the wire. */
export interface RawWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  object: unknown;
}

export class WatchDecoder {
  private readonly text = new StringDecoder('utf8');
  private pending: string[] = [];

  /** Feeds a chunk; calls `onEvent` for each complete line. Throws on a line that is not JSON. */
  push(chunk: Buffer, onEvent: (event: RawWatchEvent) => void): void {
    const text = this.text.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      let line = text.slice(start, nl);
      if (this.pending.length > 0) {
        line = this.pending.join('') + line;
        this.pending = [];
      }
      start = nl + 1;
      if (line.trim() !== '') onEvent(parseLine(line));
    }
    if (start < text.length) this.pending.push(text.slice(start));
  }

  /** The stream ended: a final line without a newline is still an event. */
  end(onEvent: (event: RawWatchEvent) => void): void {
    const line = this.pending.join('') + this.text.end();
    this.pending = [];
    if (line.trim() !== '') onEvent(parseLine(line));
  }
}

function parseLine(line: string): RawWatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(`watch event is not JSON: ${line.slice(0, 200)}`);
  }
  const event = parsed as Partial<RawWatchEvent>;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
    throw new WatchDecodeError(`watch event has no type: ${line.slice(0, 200)}`);
  }
  return event as RawWatchEvent;
}

export class WatchDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchDecodeError';
  }
}
