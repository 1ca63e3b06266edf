/** Where CLI output goes; tests substitute buffers. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const processIO: CliIO = { stdout: process.stdout, stderr: process.stderr };

/** Thrown by commands whose component has not landed yet; exits non-zero with the message. */
export class NotImplementedError extends Error {
  constructor(command: string) {
    super(`kuberx ${command}: not implemented yet`);
    this.name = 'NotImplementedError';
  }
}
