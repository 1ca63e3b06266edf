/**
 * Upstream's `EncryptionConfiguration` (apiserver.config.k8s.io/v1, `--encryption-provider-config`):
 *
 * ```yaml
 * apiVersion: apiserver.config.k8s.io/v1
 * kind: EncryptionConfiguration
 * resources:
 *   - resources: [secrets, configmaps]        # also `deployments.apps`, `*.apps`, `*.*`
 *     providers:
 *       - aesgcm: { keys: [{ name: key2, secret: <base64 of 16/24/32 bytes> }] }
 *       - aescbc: { keys: [{ name: key1, secret: <base64> }] }
 *       - secretbox: { keys: [{ name: key0, secret: <base64 of 32 bytes> }] }
 *       - identity: {}
 * ```
 *
 * For a stored resource the first matching rule applies: its first provider (first key) encrypts
 * every write; every provider and key can read — so rotating a key is: add it second, restart,
 * move it first, restart, rewrite the objects, drop the old one. Invalid configurations are
 * refused with field errors in upstream's style (secrets are never echoed: `"REDACTED"`). `kms`
 * providers are not supported.
 */
import { parse as parseYaml } from 'yaml';
import {
  aescbcTransformer,
  aesgcmTransformer,
  identityTransformer,
  secretboxTransformer,
  type Transformer,
} from './providers.js';

/** One rule: the resources it covers and its transformers, the writing one first. */
export interface EncryptionRule {
  /** As written: `secrets`, `deployments.apps`, `*.apps`, `*.*`, `*.`. */
  resources: string[];
  transformers: Transformer[];
}

export interface EncryptionConfig {
  rules: EncryptionRule[];
}

type Obj = Record<string, unknown>;

const keyLengths: Record<string, number[]> = {
  aescbc: [16, 24, 32],
  aesgcm: [16, 24, 32],
  secretbox: [32],
};
const factories: Record<string, (name: string, secret: Buffer) => Transformer> = {
  aescbc: aescbcTransformer,
  aesgcm: aesgcmTransformer,
  secretbox: secretboxTransformer,
};

/** Parses and validates a configuration file's text; throws an Error listing every problem. */
export function parseEncryptionConfig(text: string): EncryptionConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(
      `error while parsing encryption provider configuration file: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const root = (doc ?? {}) as Obj;
  if (root.kind !== 'EncryptionConfiguration' || root.apiVersion !== 'apiserver.config.k8s.io/v1') {
    throw new Error(
      `got unexpected config type: apiVersion ${JSON.stringify(root.apiVersion ?? '')} kind ${JSON.stringify(root.kind ?? '')}, expected apiserver.config.k8s.io/v1 EncryptionConfiguration`,
    );
  }
  const errs: string[] = [];
  const rules: EncryptionRule[] = [];
  const entries = Array.isArray(root.resources) ? (root.resources as Obj[]) : [];
  if (entries.length === 0) errs.push('resources: Required value: resources is a required field');
  entries.forEach((entry, i) => {
    const p = `resources[${i}]`;
    const resources = Array.isArray(entry?.resources) ? (entry.resources as unknown[]) : [];
    if (resources.length === 0)
      errs.push(`${p}.resources: Required value: resources is a required field`);
    resources.forEach((r, j) => {
      if (typeof r !== 'string' || r === '' || (r.includes('*') && !/^\*\.[a-z0-9.-]*$/.test(r))) {
        errs.push(
          `${p}.resources[${j}]: Invalid value: ${JSON.stringify(r)}: resource name must be a group-qualified resource or a wildcard`,
        );
      }
    });
    const providers = Array.isArray(entry?.providers) ? (entry.providers as Obj[]) : [];
    if (providers.length === 0)
      errs.push(`${p}.providers: Required value: providers is a required field`);
    const transformers: Transformer[] = [];
    providers.forEach((prov, k) => {
      const pp = `${p}.providers[${k}]`;
      const kinds = Object.keys(prov ?? {});
      if (kinds.length !== 1) {
        errs.push(
          `${pp}: Invalid value: ${JSON.stringify(kinds)}: ${kinds.length === 0 ? 'provider does not contain any of the expected providers: aescbc, aesgcm, secretbox, identity' : 'more than one provider specified in a single element, should split into different list elements'}`,
        );
        return;
      }
      const kind = kinds[0]!;
      if (kind === 'identity') {
        transformers.push(identityTransformer);
        return;
      }
      if (!factories[kind]) {
        errs.push(
          `${pp}.${kind}: Unsupported value: ${JSON.stringify(kind)}: supported values: "aescbc", "aesgcm", "secretbox", "identity"`,
        );
        return;
      }
      const keys = Array.isArray((prov[kind] as Obj | undefined)?.keys)
        ? ((prov[kind] as Obj).keys as Obj[])
        : [];
      if (keys.length === 0)
        errs.push(`${pp}.${kind}.keys: Required value: keys is a required field`);
      const names = new Set<string>();
      keys.forEach((key, n) => {
        const kp = `${pp}.${kind}.keys[${n}]`;
        const name = typeof key?.name === 'string' ? key.name : '';
        if (!name) errs.push(`${kp}.name: Required value: key.name is a required field`);
        else if (names.has(name)) errs.push(`${kp}.name: Duplicate value: ${JSON.stringify(name)}`);
        else if (name.includes(':'))
          errs.push(
            `${kp}.name: Invalid value: ${JSON.stringify(name)}: key name must not contain ':'`,
          );
        names.add(name);
        const text = typeof key?.secret === 'string' ? key.secret : '';
        if (!text) {
          errs.push(`${kp}.secret: Required value: key.secret is a required field`);
          return;
        }
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
          errs.push(`${kp}.secret: Invalid value: "REDACTED": secrets must be base64 encoded`);
          return;
        }
        const secret = Buffer.from(text, 'base64');
        if (!keyLengths[kind]!.includes(secret.length)) {
          errs.push(
            `${kp}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of [${keyLengths[kind]!.join(' ')}]`,
          );
          return;
        }
        if (name) transformers.push(factories[kind]!(name, secret));
      });
    });
    rules.push({ resources: resources.map(String), transformers });
  });
  if (errs.length > 0) throw new Error(`invalid encryption configuration: ${errs.join('; ')}`);
  return { rules };
}

/** Whether a configured resource string covers a group/resource. */
export function coversResource(pattern: string, group: string, resource: string): boolean {
  if (pattern === '*.*') return true;
  const dot = pattern.indexOf('.');
  const pr = dot < 0 ? pattern : pattern.slice(0, dot);
  const pg = dot < 0 ? '' : pattern.slice(dot + 1);
  return (pr === '*' || pr === resource) && pg === group;
}

/** The rule that applies to a group/resource (first match), or undefined. */
export function ruleFor(
  config: EncryptionConfig,
  group: string,
  resource: string,
): EncryptionRule | undefined {
  return config.rules.find((r) => r.resources.some((p) => coversResource(p, group, resource)));
}
