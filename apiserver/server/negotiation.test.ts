import { StatusError } from '../../common/index.js';
import { negotiate, patchType, requestContentType, type Targets } from './negotiation.js';

const tables: Targets = { Table: { group: 'meta.k8s.io', versions: ['v1', 'v1beta1'] } };
const discovery: Targets = {
  APIGroupDiscoveryList: { group: 'apidiscovery.k8s.io', versions: ['v2', 'v2beta1'] },
};

const kubectlGet =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const clientGoDiscovery =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('negotiate', () => {
  test('no Accept header means JSON', () => {
    expect(negotiate(undefined)).toEqual({ encoding: 'json', contentType: 'application/json' });
  });

  test("kubectl get's header yields a v1 Table where tables are served", () => {
    expect(negotiate(kubectlGet, tables).target).toEqual({
      kind: 'Table',
      group: 'meta.k8s.io',
      version: 'v1',
    });
  });

  test("kubectl get's header falls back to plain JSON where tables are not served", () => {
    const n = negotiate(kubectlGet, {});
    expect(n.target).toBeUndefined();
    expect(n.encoding).toBe('json');
  });

  test('client-go discovery gets aggregated v2 with the exact content type it compares', () => {
    const n = negotiate(clientGoDiscovery, discovery);
    expect(n.contentType).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
  });

  test('kubectl 1.27 asks only for v2beta1 and gets it', () => {
    const n = negotiate(
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      discovery,
    );
    expect(n.target?.version).toBe('v2beta1');
  });

  test('q values outrank header order', () => {
    expect(negotiate('application/json;q=0.5,application/yaml', {}).encoding).toBe('yaml');
  });

  test('protobuf first with a JSON fallback yields JSON', () => {
    expect(negotiate('application/vnd.kubernetes.protobuf, application/json').encoding).toBe(
      'json',
    );
  });

  test('protobuf only is 406 NotAcceptable', () => {
    expect(() => negotiate('application/vnd.kubernetes.protobuf')).toThrow(
      expect.objectContaining({ code: 406, reason: 'NotAcceptable' }),
    );
  });

  test('*/* is JSON', () => {
    expect(negotiate('*/*').encoding).toBe('json');
  });
});

describe('request bodies', () => {
  test.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/yaml', 'yaml'],
    [undefined, 'json'],
  ])('%s is read as %s', (header, kind) => {
    expect(requestContentType(header)).toBe(kind);
  });

  test('an unknown body type is 415', () => {
    expect(() => requestContentType('text/plain')).toThrow(StatusError);
    try {
      requestContentType('text/plain');
    } catch (e) {
      expect((e as StatusError).code).toBe(415);
    }
  });

  test('a strategic merge patch on a type without it is 415 listing the accepted patch types', () => {
    try {
      patchType('application/strategic-merge-patch+json', ['json', 'merge', 'apply']);
      throw new Error('expected 415');
    } catch (e) {
      expect((e as StatusError).status).toMatchObject({
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      });
    }
  });
});
