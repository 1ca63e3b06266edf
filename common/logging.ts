/**
 * Structured logging with pino. Every component asks {@link createLogger} for a logger named after
 * itself; records are JSON lines on stderr (stdout stays free for command output such as the
 * `export KUBECONFIG=…` line).
 *
 * Secrets never reach the log: the paths in {@link redactedPaths} (credentials in headers, tokens,
 * private keys, Secret data) are replaced by `[REDACTED]`.
 */
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Log levels, lowest first. Default `info`; override with `KUBERX_LOG_LEVEL`. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Object paths scrubbed from every record. */
export const redactedPaths: readonly string[] = [
  'authorization',
  'token',
  'password',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.token',
  '*.password',
  '*.bearerToken',
  '*.clientKey',
  '*.keyPem',
  '*.privateKey',
  'secret.data',
  'secret.stringData',
  'object.data',
  'object.stringData',
];

export interface CreateLoggerOptions {
  /** The component name, logged as `component`. */
  component: string;
  /** Minimum level. Default: `KUBERX_LOG_LEVEL` or `info` (`silent` under jest unless set). */
  level?: LogLevel;
  /** Where records go. Default: stderr (fd 2), synchronously. */
  destination?: DestinationStream;
}

/** The default level: `KUBERX_LOG_LEVEL`, else `silent` under jest, else `info`. */
export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const fromEnv = env.KUBERX_LOG_LEVEL as LogLevel | undefined;
  if (fromEnv) return fromEnv;
  return env.JEST_WORKER_ID ? 'silent' : 'info';
}

/** A pino logger for one component, with secret redaction on. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? defaultLogLevel(),
    base: { component: options.component },
    redact: { paths: [...redactedPaths], censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(config, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
