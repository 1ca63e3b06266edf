/**
 * Encryption at rest (`--encryption-provider-config`): upstream's EncryptionConfiguration and
 * providers, applied as a storage wrapper.
 *
 * ```ts
 * const config = parseEncryptionConfig(readFileSync(path, 'utf8'));
 * let server: ApiServer;
 * const storage = new EncryptedStorage(base, config, registryResolver(() => server?.registry));
 * server = createApiServer({ storage });
 * ```
 */
export {
  parseEncryptionConfig,
  coversResource,
  ruleFor,
  type EncryptionConfig,
  type EncryptionRule,
} from './config.js';
export { EncryptedStorage, type KeyResolver } from './storage.js';
export { registryResolver, type RegistrySource } from './resolver.js';
export {
  aescbcTransformer,
  aesgcmTransformer,
  secretboxTransformer,
  identityTransformer,
  encryptedPrefix,
  type Transformer,
} from './providers.js';
