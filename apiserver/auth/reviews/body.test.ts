import { isProtobuf } from '../../protobuf/index.js';
import { decodeTypedBody } from './body.js';

const protobuf = 'application/vnd.kubernetes.protobuf';
/** Decodes a body as the endpoint for `kind` in `apiVersion` does. */
function decodeProtobuf(body: Buffer, kind: string, apiVersion = apiVersionOf(kind)) {
  return decodeTypedBody(body, protobuf, apiVersion, kind) as Record<string, any>;
}
function apiVersionOf(kind: string): string {
  return kind === 'TokenRequest' ? 'authentication.k8s.io/v1' : 'authorization.k8s.io/v1';
}

/** A minimal proto2 encoder for the test: [field, value] pairs; nested arrays are messages. */
type Field = [number, string | number | boolean | Buffer | Field[]];
function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}
function encode(fields: Field[]): Buffer {
  return Buffer.concat(
    fields.map(([n, v]) => {
      if (typeof v === 'number' || typeof v === 'boolean')
        return Buffer.concat([varint(n << 3), varint(Number(v))]);
      const data = typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : encode(v);
      return Buffer.concat([varint((n << 3) | 2), varint(data.length), data]);
    }),
  );
}
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    encode([
      [
        1,
        [
          [1, apiVersion],
          [2, kind],
        ],
      ],
      [2, raw],
    ]),
  ]);
}

describe('protobuf request bodies of typed clients', () => {
  test('the content type is recognised with or without parameters', () => {
    expect(isProtobuf('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobuf('application/vnd.kubernetes.protobuf; charset=x')).toBe(true);
    expect(isProtobuf('application/json')).toBe(false);
  });

  test('a SelfSubjectAccessReview decodes to its JSON shape', () => {
    const raw = encode([
      [
        2,
        [
          [
            1,
            [
              [1, 'default'],
              [2, 'list'],
              [5, 'pods'],
            ],
          ],
        ],
      ],
    ]);
    expect(
      decodeProtobuf(
        envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw),
        'SelfSubjectAccessReview',
      ),
    ).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
    });
  });

  test('a TokenRequest decodes repeated audiences, int64 expiry and the bound object', () => {
    const raw = encode([
      [1, [[1, 'builder']]],
      [
        2,
        [
          [1, 'a'],
          [1, 'b'],
          [4, 4000],
          [
            3,
            [
              [1, 'Pod'],
              [2, 'v1'],
              [3, 'web'],
              [4, 'u1'],
            ],
          ],
        ],
      ],
    ]);
    expect(
      decodeProtobuf(envelope('authentication.k8s.io/v1', 'TokenRequest', raw), 'TokenRequest'),
    ).toMatchObject({
      metadata: { name: 'builder' },
      spec: {
        audiences: ['a', 'b'],
        expirationSeconds: 4000,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u1' },
      },
    });
  });

  test('SubjectAccessReview extra is a map of string lists', () => {
    const raw = encode([
      [
        2,
        [
          [3, 'bob'],
          [4, 'g1'],
          [
            5,
            [
              [1, 'scopes'],
              [
                2,
                [
                  [1, 'x'],
                  [1, 'y'],
                ],
              ],
            ],
          ],
          [
            2,
            [
              [1, '/healthz'],
              [2, 'get'],
            ],
          ],
        ],
      ],
    ]);
    expect(
      decodeProtobuf(
        envelope('authorization.k8s.io/v1', 'SubjectAccessReview', raw),
        'SubjectAccessReview',
      ).spec,
    ).toEqual({
      user: 'bob',
      groups: ['g1'],
      extra: { scopes: ['x', 'y'] },
      nonResourceAttributes: { path: '/healthz', verb: 'get' },
    });
  });

  test('unknown fields are skipped', () => {
    const raw = encode([
      [9, 'ignored'],
      [15, 7],
      [2, [[1, 'team']]],
    ]);
    expect(
      decodeProtobuf(
        envelope('authorization.k8s.io/v1', 'SelfSubjectRulesReview', raw),
        'SelfSubjectRulesReview',
      ).spec,
    ).toEqual({ namespace: 'team' });
  });

  test.each([
    ['no envelope', Buffer.from('{"kind":"TokenRequest"}')],
    [
      'a truncated message',
      envelope('authentication.k8s.io/v1', 'TokenRequest', Buffer.from([0x12, 0x10, 0x0a])),
    ],
    ['another kind in the envelope', envelope('v1', 'Pod', Buffer.alloc(0))],
  ])('%s is a 400', (_name, body) => {
    expect(() => decodeProtobuf(body, 'TokenRequest')).toThrow(
      expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }),
    );
  });
});
