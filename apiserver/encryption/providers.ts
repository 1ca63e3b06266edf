/**
 * The value transformers of upstream's EncryptionConfiguration, byte-compatible with
 * kube-apiserver's (`k8s.io/apiserver/pkg/storage/value/encrypt/{aes,secretbox,identity}`):
 *
 * | provider  | stored bytes                                                     |
 * | --------- | ---------------------------------------------------------------- |
 * | aescbc    | `k8s:enc:aescbc:v1:<key>:` + IV (16) + AES-CBC, PKCS#7 padding     |
 * | aesgcm    | `k8s:enc:aesgcm:v1:<key>:` + nonce (12) + AES-GCM + tag (16); the |
 * |           | storage key is the authenticated data                            |
 * | secretbox | `k8s:enc:secretbox:v1:<key>:` + nonce (24) + XSalsa20-Poly1305   |
 * | identity  | the plain value, no prefix                                       |
 *
 * Keys are 16, 24 or 32 bytes for AES and 32 for secretbox; nonces and IVs are random per write.
 * A value that does not decrypt is an Error (the caller reports it as a 500, as upstream).
 */
import {
  type CipherGCM,
  type DecipherGCM,
  createCipheriv,
  createDecipheriv,
  randomBytes,
} from 'node:crypto';
import nacl from 'tweetnacl';

export interface Transformer {
  /** `k8s:enc:aescbc:v1:key1:`, or '' for identity. */
  readonly prefix: string;
  /** Encrypts `plain` (without the prefix) for storage key `key`. */
  seal(plain: Uint8Array, key: string): Uint8Array;
  /** Decrypts data found after the prefix. */
  open(data: Uint8Array, key: string): Uint8Array;
}

/** What every encrypted value starts with; identity refuses to read such data. */
export const encryptedPrefix = 'k8s:enc:';

export function aescbcTransformer(name: string, secret: Buffer): Transformer {
  const algo = `aes-${secret.length * 8}-cbc`;
  return {
    prefix: `${encryptedPrefix}aescbc:v1:${name}:`,
    seal(plain) {
      const iv = randomBytes(16);
      const cipher = createCipheriv(algo, secret, iv);
      return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
    },
    open(data) {
      if (data.length < 16) throw new Error('the stored data was shorter than the required size');
      if ((data.length - 16) % 16 !== 0) {
        throw new Error('the stored data is not a multiple of the block size');
      }
      const decipher = createDecipheriv(algo, secret, data.subarray(0, 16));
      try {
        return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
      } catch {
        throw new Error('invalid PKCS7 data (empty or not padded)');
      }
    },
  };
}

export function aesgcmTransformer(name: string, secret: Buffer): Transformer {
  const algo = `aes-${secret.length * 8}-gcm`;
  return {
    prefix: `${encryptedPrefix}aesgcm:v1:${name}:`,
    seal(plain, key) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(algo, secret, nonce) as CipherGCM;
      cipher.setAAD(Buffer.from(key));
      return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    open(data, key) {
      if (data.length < 12 + 16)
        throw new Error('the stored data was shorter than the required size');
      const decipher = createDecipheriv(algo, secret, data.subarray(0, 12)) as DecipherGCM;
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(data.subarray(data.length - 16));
      try {
        return Buffer.concat([
          decipher.update(data.subarray(12, data.length - 16)),
          decipher.final(),
        ]);
      } catch {
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}

export function secretboxTransformer(name: string, secret: Buffer): Transformer {
  const key = new Uint8Array(secret);
  return {
    prefix: `${encryptedPrefix}secretbox:v1:${name}:`,
    seal(plain) {
      const nonce = randomBytes(nacl.secretbox.nonceLength);
      const box = nacl.secretbox(plain, new Uint8Array(nonce), key);
      return Buffer.concat([nonce, box]);
    },
    open(data) {
      const n = nacl.secretbox.nonceLength;
      if (data.length < n) throw new Error('the stored data was shorter than the required size');
      const out = nacl.secretbox.open(data.subarray(n), data.subarray(0, n), key);
      if (!out) throw new Error('output array was not large enough for encryption');
      return out;
    },
  };
}

export const identityTransformer: Transformer = {
  prefix: '',
  seal: (plain) => plain,
  open(data) {
    if (Buffer.from(data.subarray(0, encryptedPrefix.length)).toString() === encryptedPrefix) {
      throw new Error('identity transformer tried to read encrypted data');
    }
    return data;
  },
};
