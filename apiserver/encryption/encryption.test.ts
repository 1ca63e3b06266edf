import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { createApiServer } from '../index.js';
import { parseEncryptionConfig } from './config.js';
import {
  aescbcTransformer,
  aesgcmTransformer,
  identityTransformer,
  secretboxTransformer,
} from './providers.js';
import { EncryptedStorage } from './storage.js';
import { registryResolver } from './resolver.js';

const key16 = Buffer.alloc(16, 7);
const key32 = Buffer.alloc(32, 9);
const b64 = (b: Buffer) => b.toString('base64');
const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

function config(providers: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
${providers}
`;
}
const aescbc = (name: string, k = key32) =>
  `      - aescbc:\n          keys:\n            - name: ${name}\n              secret: ${b64(k)}`;
const aesgcm = (name: string, k = key16) =>
  `      - aesgcm:\n          keys:\n            - name: ${name}\n              secret: ${b64(k)}`;
const secretbox = (name: string, k = key32) =>
  `      - secretbox:\n          keys:\n            - name: ${name}\n              secret: ${b64(k)}`;
const identity = '      - identity: {}';

/** Secrets only: every key under /registry/secrets/ is a core secret. */
const secretsResolver = (key: string) =>
  key.startsWith('/registry/secrets/') ? [{ group: '', resource: 'secrets' }] : [];

describe('encryption providers', () => {
  const plain = Buffer.from('{"data":{"password":"hunter2"}}');
  test.each([
    ['aescbc', aescbcTransformer('k1', key32), 'k8s:enc:aescbc:v1:k1:'],
    ['aesgcm', aesgcmTransformer('k1', key16), 'k8s:enc:aesgcm:v1:k1:'],
    ['secretbox', secretboxTransformer('k1', key32), 'k8s:enc:secretbox:v1:k1:'],
  ])('%s round-trips with a random nonce and hides the plaintext', (_n, t, prefix) => {
    expect(t.prefix).toBe(prefix);
    const a = t.seal(plain, '/registry/secrets/default/s');
    const b = t.seal(plain, '/registry/secrets/default/s');
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).not.toBe(0);
    expect(text(a)).not.toContain('hunter2');
    expect(Buffer.from(t.open(a, '/registry/secrets/default/s')).toString()).toBe(plain.toString());
  });

  test('aesgcm authenticates the storage key: data moved to another key does not decrypt', () => {
    const t = aesgcmTransformer('k1', key16);
    const sealed = t.seal(plain, '/registry/secrets/default/a');
    expect(() => t.open(sealed, '/registry/secrets/default/b')).toThrow(
      'message authentication failed',
    );
  });

  test.each([
    ['aescbc', aescbcTransformer('k', key32), aescbcTransformer('k', Buffer.alloc(32, 1))],
    ['secretbox', secretboxTransformer('k', key32), secretboxTransformer('k', Buffer.alloc(32, 1))],
  ])('%s with the wrong key does not give the plaintext back', (_n, right, wrong) => {
    const sealed = right.seal(plain, 'k');
    let out: string | undefined;
    try {
      out = Buffer.from(wrong.open(sealed, 'k')).toString();
    } catch {
      out = undefined;
    }
    expect(out).not.toBe(plain.toString());
  });

  test('identity refuses encrypted data', () => {
    expect(() => identityTransformer.open(Buffer.from('k8s:enc:aescbc:v1:k:xxx'), 'k')).toThrow(
      'identity transformer tried to read encrypted data',
    );
  });
});

describe('EncryptionConfiguration', () => {
  test('a valid configuration yields one rule with the writer first', () => {
    const cfg = parseEncryptionConfig(config([aesgcm('new'), aescbc('old'), identity].join('\n')));
    expect(cfg.rules).toHaveLength(1);
    expect(cfg.rules[0]!.transformers.map((t) => t.prefix)).toEqual([
      'k8s:enc:aesgcm:v1:new:',
      'k8s:enc:aescbc:v1:old:',
      '',
    ]);
  });

  test.each([
    ['a wrong kind', 'apiVersion: v1\nkind: ConfigMap\n', 'got unexpected config type'],
    [
      'no resources',
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n',
      'resources: Required value',
    ],
    [
      'a short AES key',
      config(aescbc('k', Buffer.alloc(5))),
      'resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 5, expected one of [16 24 32]',
    ],
    ['a short secretbox key', config(secretbox('k', key16)), 'expected one of [32]'],
    [
      'a key that is not base64',
      config(
        '      - aescbc:\n          keys:\n            - name: k\n              secret: "not base64!"',
      ),
      'secrets must be base64 encoded',
    ],
    [
      'two providers in one element',
      config('      - aescbc: {keys: []}\n        identity: {}'),
      'more than one provider specified in a single element',
    ],
    ['a kms provider', config('      - kms: {name: x}'), 'Unsupported value: "kms"'],
    [
      'a nameless key',
      config(`      - aesgcm:\n          keys:\n            - secret: ${b64(key16)}`),
      'key.name is a required field',
    ],
  ])('%s is refused', (_c, yaml, message) => {
    expect(() => parseEncryptionConfig(yaml)).toThrow(message);
  });
});

async function withStorage(fn: (inner: Storage) => Promise<void>) {
  const inner = await openEmbeddedStorage({ memory: true });
  try {
    await fn(inner);
  } finally {
    await inner.close();
  }
}

describe('EncryptedStorage', () => {
  const key = '/registry/secrets/default/db';
  const value = Buffer.from('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');

  test('configured resources are stored encrypted and read back plain', () =>
    withStorage(async (inner) => {
      const s = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aescbc('k1'))),
        secretsResolver,
      );
      const created = await s.create(key, value);
      expect(created.succeeded && text(created.kv.value)).toBe(value.toString());
      const raw = (await inner.get(key)).kv!;
      expect(text(raw.value).startsWith('k8s:enc:aescbc:v1:k1:')).toBe(true);
      expect(text(raw.value)).not.toContain('aHVudGVyMg');
      expect(text((await s.get(key)).kv!.value)).toBe(value.toString());
      expect(text((await s.list('/registry/secrets/')).kvs[0]!.value)).toBe(value.toString());
      await s.create('/registry/configmaps/default/c', value);
      expect(text((await inner.get('/registry/configmaps/default/c')).kv!.value)).toBe(
        value.toString(),
      );
    }));

  test('rotation: every provider reads, the first one writes', () =>
    withStorage(async (inner) => {
      const v1 = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aescbc('old'))),
        secretsResolver,
      );
      await v1.create(key, value);
      const v2 = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config([aesgcm('new'), aescbc('old')].join('\n'))),
        secretsResolver,
      );
      const cur = await v2.get(key);
      expect(text(cur.kv!.value)).toBe(value.toString());
      await v2.update(key, value, cur.kv!.modRevision);
      expect(text((await inner.get(key)).kv!.value).startsWith('k8s:enc:aesgcm:v1:new:')).toBe(
        true,
      );
    }));

  test('rewriteStale moves every value to the writing key, once', () =>
    withStorage(async (inner) => {
      const old = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aescbc('old'))),
        secretsResolver,
      );
      await old.create(key, value);
      await old.create('/registry/secrets/default/other', value);
      await inner.create('/registry/configmaps/default/c', value);
      const s = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config([aesgcm('new'), aescbc('old')].join('\n'))),
        secretsResolver,
      );
      expect(await s.rewriteStale()).toBe(2);
      expect(text((await inner.get(key)).kv!.value).startsWith('k8s:enc:aesgcm:v1:new:')).toBe(
        true,
      );
      expect(text((await s.get(key)).kv!.value)).toBe(value.toString());
      expect(text((await inner.get('/registry/configmaps/default/c')).kv!.value)).toBe(
        value.toString(),
      );
      expect(await s.rewriteStale()).toBe(0);
      // Dropping the old key now loses nothing.
      const only = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aesgcm('new'))),
        secretsResolver,
      );
      expect(text((await only.get('/registry/secrets/default/other')).kv!.value)).toBe(
        value.toString(),
      );
    }));

  test('identity first writes plain text and still reads old encrypted values', () =>
    withStorage(async (inner) => {
      await new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(secretbox('k'))),
        secretsResolver,
      ).create(key, value);
      const s = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config([identity, secretbox('k')].join('\n'))),
        secretsResolver,
      );
      expect(text((await s.get(key)).kv!.value)).toBe(value.toString());
      await s.create('/registry/secrets/default/plain', value);
      expect(text((await inner.get('/registry/secrets/default/plain')).kv!.value)).toBe(
        value.toString(),
      );
    }));

  test('a value no provider can read is a 500 "no matching prefix found"', () =>
    withStorage(async (inner) => {
      await new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aescbc('gone'))),
        secretsResolver,
      ).create(key, value);
      const s = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aescbc('other'))),
        secretsResolver,
      );
      const err = await s.get(key).catch((e) => e);
      expect(err.code).toBe(500);
      expect(err.message).toBe('Internal error occurred: no matching prefix found');
    }));

  test('watch events carry decrypted values', () =>
    withStorage(async (inner) => {
      const s = new EncryptedStorage(
        inner,
        parseEncryptionConfig(config(aesgcm('k'))),
        secretsResolver,
      );
      const seen: string[] = [];
      const done = new Promise<void>((resolve) => {
        const w = s.watch(
          { key: '/registry/secrets/', prefix: true, prevKv: true },
          {
            onBatch: (b) => {
              for (const e of b.events) if (e.type === 'put') seen.push(text(e.kv.value));
              if (seen.length > 0) {
                w.cancel();
                resolve();
              }
            },
            onError: () => resolve(),
          },
        );
      });
      await s.create(key, value);
      await done;
      expect(seen).toEqual([value.toString()]);
    }));
});

describe('a server with encryption at rest', () => {
  test.each([
    ['with', true],
    ['without', false],
  ])(
    '%s a configuration, a copied data directory holds the secret value: %s',
    async (_c, encrypt) => {
      const dir = mkdtempSync(join(tmpdir(), 'kuberx-enc-'));
      const base = await openEmbeddedStorage({ dataDir: dir });
      const cfg = parseEncryptionConfig(config(aesgcm('k1')));
      const holder: { server?: ReturnType<typeof createApiServer> } = {};
      const storage = encrypt
        ? new EncryptedStorage(
            base,
            cfg,
            registryResolver(() => holder.server?.registry),
          )
        : base;
      const server = createApiServer({ storage, port: 0, compactionIntervalMs: 0 });
      holder.server = server;
      const marker = 'c3VwZXItc2VjcmV0LW1hcmtlcg=='; // base64 of a unique marker
      try {
        const { url } = await server.start();
        const res = await fetch(`${url}/api/v1/namespaces/default/secrets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'db' },
            data: { password: marker },
          }),
        });
        expect(res.status).toBe(201);
        const got = (await (await fetch(`${url}/api/v1/namespaces/default/secrets/db`)).json()) as {
          data: { password: string };
        };
        expect(got.data.password).toBe(marker);
        const raw = (await base.get('/registry/secrets/default/db')).kv!;
        expect(text(raw.value).startsWith('k8s:enc:aesgcm:v1:k1:')).toBe(encrypt);
      } finally {
        await server.stop();
        await storage.close();
      }
      try {
        const files: string[] = [];
        const walk = (d: string) => {
          for (const f of readdirSync(d)) {
            const p = join(d, f);
            if (statSync(p).isDirectory()) walk(p);
            else files.push(p);
          }
        };
        walk(dir);
        const leaked = files.some((f) => readFileSync(f).includes(Buffer.from(marker)));
        expect(leaked).toBe(!encrypt);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
