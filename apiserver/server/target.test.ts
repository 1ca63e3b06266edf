import { parseRequestTarget } from './target.js';

describe('parseRequestTarget', () => {
  test.each([
    '/api/v1/namespaces/default/configmaps',
    '/api/v1/namespaces/default/configmaps?limit=500&continue=eyJ2Ijoi',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:job-controller',
    '/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+(a,b)&fieldSelector=spec.nodeName%3D',
    '/api/v1/pods?watch=1&resourceVersion=10&allowWatchBookmarks=true',
    '/api/v1/namespaces/a/configmaps/my.config-1_x~y',
    '/api?',
    '/api?a=1?b=2',
    '/api?x=%ZZ&y=%E2%9C%93',
    '/api?q="quoted"&r=<tag>',
    // The URL parser's own cases: all of these must come out as it says.
    '/api/v1/namespaces/a%2Fb/pods',
    '/api/v1/./namespaces/../pods',
    '/api/v1/%2e%2e/pods',
    '/api/v1/pods/.',
    '//evil.example/api/v1/pods',
    '/api/v1/pods#fragment?x=1',
    '/api/v1/pods?x=1#frag',
    '/api/v1/pods\\name',
    '/api/v1/pods/na me?x=a b',
    '/api/v1/pods/ünïcode?q=✓',
    '/',
  ])('%j reads as the URL parser reads it', (raw) => {
    const expected = new URL(raw, 'http://localhost');
    const target = parseRequestTarget(raw);
    expect(target.pathname).toBe(expected.pathname);
    expect([...target.query]).toEqual([...expected.searchParams]);
    expect(target.url.href).toBe(expected.href);
  });
});
