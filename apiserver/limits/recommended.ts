/**
 * The server options kube-apiserver's flags turn on, in one place (upstream `RecommendedOptions`
 * and `ServerRunOptions`): the admission chain, encryption at rest, the audit log, the in-flight
 * limits, the request timeout, the per-client watch bound and the object-size guard.
 *
 * ```ts
 * const rec = await recommendedServerOptions(baseStorage, { auditLogPath: 'audit.log' });
 * const server = createApiServer({
 *   storage: rec.storage,
 *   admission: rec.admission,
 *   filters: [...rec.preAuthenticationFilters, ...rec.authenticatedFilters],
 * });
 * rec.bind(server);   // the plugins and the encryption resolver read this server's stores
 * …
 * await server.stop(); await rec.close(); await baseStorage.close();
 * ```
 * With `createSecureApiServer`, pass `preAuthenticationFilters` and `authenticatedFilters` as its
 * options of the same names (the timeout outside authentication; audit and the limits between
 * authentication and authorization, as upstream orders them) and bind `secure.server`.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../common/index.js';
import type { Storage } from '../../store/index.js';
import { newAdmissionPlugins, storeLookup, type StoreSource } from '../admission/index.js';
import type { AdmissionPlugin } from '../admission/types.js';
import { AuditLogFile, auditFilter, parseAuditPolicy } from '../audit/index.js';
import { EncryptedStorage, parseEncryptionConfig, registryResolver } from '../encryption/index.js';
import type { Filter } from '../server/scope.js';
import type { TypeRegistry } from '../server/typeregistry.js';
import { maxInFlightFilter } from './inflight.js';
import { SizeLimitedStorage } from './objectsize.js';
import { requestTimeoutFilter } from './timeout.js';
import { watchLimitFilter } from './watches.js';

export interface RecommendedFlags {
  /** `--encryption-provider-config`: path of an EncryptionConfiguration file. */
  encryptionProviderConfig?: string;
  /** `--audit-log-path` (`-` = stdout). */
  auditLogPath?: string;
  /** `--audit-policy-file`; without it every request is logged at Metadata. */
  auditPolicyFile?: string;
  /** `--max-requests-inflight` (default 400; 0 = no limit). */
  maxRequestsInflight?: number;
  /** `--max-mutating-requests-inflight` (default 200; 0 = no limit). */
  maxMutatingRequestsInflight?: number;
  /** `--request-timeout` in seconds (default 60). */
  requestTimeoutSeconds?: number;
  /** Watches per client (default 1000; 0 = no limit). */
  maxWatchesPerClient?: number;
  /** Largest stored object in bytes (default 1.5 MiB). */
  maxObjectBytes?: number;
  /** `--enable-admission-plugins` / `--disable-admission-plugins`. */
  enableAdmissionPlugins?: string[];
  disableAdmissionPlugins?: string[];
  clock?: Clock;
}

/** A server that {@link RecommendedOptions.bind} accepts (an `ApiServer`). */
export type BindableServer = StoreSource & { registry: TypeRegistry };

export interface RecommendedOptions {
  /** The storage to serve: size-guarded, and encrypted when configured. */
  storage: Storage;
  /** The encryption layer when configured (its `rewriteStale()` finishes a key rotation). */
  encryption?: EncryptedStorage;
  preAuthenticationFilters: Filter[];
  authenticatedFilters: Filter[];
  admission: AdmissionPlugin[];
  /** Points the admission lookups and the encryption resolver at the server. */
  bind(server: BindableServer): void;
  /** Flushes and closes the audit log (the storage stays the caller's). */
  close(): Promise<void>;
}

export async function recommendedServerOptions(
  base: Storage,
  flags: RecommendedFlags = {},
): Promise<RecommendedOptions> {
  let bound: BindableServer | undefined;
  const source = (): BindableServer => {
    if (!bound) throw new Error('recommendedServerOptions: bind(server) was not called');
    return bound;
  };
  const admission = newAdmissionPlugins(
    { lookup: storeLookup(source) },
    { enable: flags.enableAdmissionPlugins, disable: flags.disableAdmissionPlugins },
  );
  let storage: Storage = new SizeLimitedStorage(base, flags.maxObjectBytes);
  let encryption: EncryptedStorage | undefined;
  if (flags.encryptionProviderConfig) {
    const config = parseEncryptionConfig(await readFile(flags.encryptionProviderConfig, 'utf8'));
    storage = encryption = new EncryptedStorage(
      storage,
      config,
      registryResolver(() => bound?.registry),
    );
  }
  const authenticatedFilters: Filter[] = [];
  let audit: AuditLogFile | undefined;
  if (flags.auditLogPath) {
    const policy = flags.auditPolicyFile
      ? parseAuditPolicy(await readFile(flags.auditPolicyFile, 'utf8'))
      : undefined;
    audit = new AuditLogFile(flags.auditLogPath);
    authenticatedFilters.push(auditFilter({ sink: audit, policy, clock: flags.clock }));
  }
  authenticatedFilters.push(
    watchLimitFilter({ maxPerClient: flags.maxWatchesPerClient }),
    maxInFlightFilter({
      maxReadOnly: flags.maxRequestsInflight,
      maxMutating: flags.maxMutatingRequestsInflight,
    }),
  );
  return {
    storage,
    encryption,
    preAuthenticationFilters: [
      requestTimeoutFilter({ timeoutSeconds: flags.requestTimeoutSeconds, clock: flags.clock }),
    ],
    authenticatedFilters,
    admission,
    bind(server) {
      bound = server;
    },
    async close() {
      await audit?.close();
    },
  };
}
