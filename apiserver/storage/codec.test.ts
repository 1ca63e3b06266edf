import type { KubeObject } from '../registry/types.js';
import { decodeObject, encodeObject, encodeWrite, stamped } from './codec.js';

const decoder = new TextDecoder();

const cases: Array<[string, KubeObject]> = [
  [
    'a ConfigMap in client order',
    {
      data: { b: '2', a: '1' },
      metadata: { labels: { app: 'x' }, name: 'cm', namespace: 'ns', resourceVersion: '7' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    },
  ],
  [
    'a Pod with nested resourceVersion fields and unicode',
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'ns',
        uid: 'u',
        annotations: { note: 'héllo ✓ \u2028 "quoted"' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'o1' }],
        managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }],
      },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
      status: { ref: { resourceVersion: '3' }, phase: 'Running', count: -0, big: 1e21 },
    },
  ],
  [
    'an object with unknown metadata fields and no labels',
    { apiVersion: 'x/v1', kind: 'X', metadata: { zeta: 1, name: 'n', alpha: [1, 2] } },
  ],
  [
    'an object with a __proto__ field, as JSON.parse makes it',
    JSON.parse(
      '{"apiVersion":"v1","kind":"X","__proto__":{"a":1},"metadata":{"name":"n"}}',
    ) as KubeObject,
  ],
  [
    'an object whose annotations hold the template placeholder',
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'n', annotations: { resourceVersion: '\u0000rv\u0000' } },
    },
  ],
];

describe('encodeWrite', () => {
  test.each(cases)(
    '%s: stored bytes decode to the canonical object without a stored rv',
    (_, obj) => {
      const { bytes } = encodeWrite(obj);
      const stored = JSON.parse(decoder.decode(bytes)) as KubeObject;
      expect(stored.metadata?.resourceVersion).toBeUndefined();
      expect(JSON.stringify(decodeObject(bytes, 42))).toBe(JSON.stringify(stamped(obj, 42)));
      expect(bytes).toEqual(encodeObject(obj));
    },
  );

  test.each(cases.slice(0, 4))(
    '%s: the template at any revision is the JSON of the decoded object',
    (_, obj) => {
      const { bytes, template } = encodeWrite(obj);
      expect(template).toBeDefined();
      for (const rv of [1, 42, 1234567890123]) {
        expect(template!.head + rv + template!.tail).toBe(JSON.stringify(decodeObject(bytes, rv)));
      }
    },
  );

  test('a __proto__ field is kept as data, not taken as a prototype', () => {
    const text = decoder.decode(encodeWrite(cases[3]![1]).bytes);
    expect(text).toBe('{"apiVersion":"v1","kind":"X","metadata":{"name":"n"},"__proto__":{"a":1}}');
  });

  test('an object that holds the placeholder itself gets no template', () => {
    expect(encodeWrite(cases[4]![1]).template).toBeUndefined();
  });

  test('stored fields come in the order kube-apiserver writes them', () => {
    const text = decoder.decode(encodeWrite(cases[0]![1]).bytes);
    expect(text).toBe(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","labels":{"app":"x"}},"data":{"b":"2","a":"1"}}',
    );
  });
});
