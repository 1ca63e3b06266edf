/**
 * The audit log backend (`--audit-log-path`): one JSON `audit.k8s.io/v1` Event per line, appended
 * to a file created with mode 0600 (`-` writes to stdout). Writes never block a request: when the
 * disk lags by more than `maxBufferedBytes`, further events are dropped and counted, like
 * upstream's non-blocking backend.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import * as defaults from './defaults.js';

export interface AuditSink {
  write(event: object): void;
  close(): Promise<void>;
}

export class AuditLogFile implements AuditSink {
  private readonly stream: WriteStream | NodeJS.WriteStream;
  /** Events dropped because the file could not keep up. */
  dropped = 0;
  written = 0;

  constructor(
    readonly path: string,
    private readonly maxBuffered = defaults.maxBufferedBytes,
  ) {
    this.stream =
      path === '-'
        ? process.stdout
        : createWriteStream(path, { flags: 'a', mode: defaults.auditLogFileMode });
    this.stream.on('error', () => {
      // A failing disk must not take requests down; events are lost and counted.
      this.dropped++;
    });
  }

  write(event: object): void {
    if (this.stream.writableLength > this.maxBuffered) {
      this.dropped++;
      return;
    }
    this.stream.write(`${JSON.stringify(event)}\n`);
    this.written++;
  }

  close(): Promise<void> {
    if (this.stream === process.stdout) return Promise.resolve();
    return new Promise((resolve) => (this.stream as WriteStream).end(() => resolve()));
  }
}
