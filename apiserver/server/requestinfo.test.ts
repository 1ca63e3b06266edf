import { newRequestInfo } from './requestinfo.js';

type Row = [
  string,
  string,
  string,
  Partial<{
    verb: string;
    group: string;
    version: string;
    namespace: string;
    resource: string;
    name: string;
    subresource: string;
    resourceRequest: boolean;
  }>,
];

describe('newRequestInfo', () => {
  test.each<Row>([
    [
      'a core collection in a namespace is a list',
      'GET',
      '/api/v1/namespaces/ns1/pods',
      { verb: 'list', version: 'v1', namespace: 'ns1', resource: 'pods' },
    ],
    [
      'a named core object is a get',
      'GET',
      '/api/v1/namespaces/ns1/pods/web',
      { verb: 'get', name: 'web', resource: 'pods' },
    ],
    [
      'a collection across namespaces has no namespace',
      'GET',
      '/api/v1/pods',
      { verb: 'list', namespace: '', resource: 'pods' },
    ],
    ['watch=true turns a list into a watch', 'GET', '/api/v1/pods?watch=true', { verb: 'watch' }],
    ['watch=1 is accepted too', 'GET', '/api/v1/pods?watch=1', { verb: 'watch' }],
    [
      'the deprecated /watch/ prefix is a watch',
      'GET',
      '/api/v1/watch/namespaces/ns1/pods',
      { verb: 'watch', namespace: 'ns1', resource: 'pods' },
    ],
    [
      'a grouped resource carries its group and version',
      'POST',
      '/apis/apps/v1/namespaces/ns1/deployments',
      { verb: 'create', group: 'apps', version: 'v1', resource: 'deployments' },
    ],
    [
      'a subresource is parsed after the name',
      'PUT',
      '/apis/apps/v1/namespaces/ns1/deployments/web/scale',
      { verb: 'update', name: 'web', subresource: 'scale' },
    ],
    [
      'a namespace is a cluster-scoped object named by the path',
      'GET',
      '/api/v1/namespaces/ns1',
      { verb: 'get', resource: 'namespaces', name: 'ns1', namespace: '' },
    ],
    [
      'namespaces/NAME/finalize is a subresource of the namespace',
      'PUT',
      '/api/v1/namespaces/ns1/finalize',
      { verb: 'update', resource: 'namespaces', name: 'ns1', subresource: 'finalize' },
    ],
    [
      'namespaces/NAME/status is a subresource of the namespace',
      'PATCH',
      '/api/v1/namespaces/ns1/status',
      { verb: 'patch', resource: 'namespaces', name: 'ns1', subresource: 'status' },
    ],
    [
      'DELETE on a collection is deletecollection',
      'DELETE',
      '/api/v1/namespaces/ns1/configmaps',
      { verb: 'deletecollection' },
    ],
    [
      'DELETE on an object is delete',
      'DELETE',
      '/api/v1/namespaces/ns1/configmaps/c',
      { verb: 'delete', name: 'c' },
    ],
    ['/api is not a resource request', 'GET', '/api', { resourceRequest: false, verb: 'get' }],
    [
      '/apis/apps/v1 is discovery, not a resource',
      'GET',
      '/apis/apps/v1',
      { resourceRequest: false },
    ],
    ['/version is not a resource request', 'GET', '/version', { resourceRequest: false }],
  ])('%s (%s %s)', (_name, method, url, want) => {
    const u = new URL(url, 'http://x');
    const info = newRequestInfo(method, u.pathname, u.searchParams);
    expect(info.isResourceRequest).toBe(want.resourceRequest ?? true);
    if (want.verb !== undefined) expect(info.verb).toBe(want.verb);
    if (want.group !== undefined) expect(info.apiGroup).toBe(want.group);
    if (want.version !== undefined) expect(info.apiVersion).toBe(want.version);
    if (want.namespace !== undefined) expect(info.namespace).toBe(want.namespace);
    if (want.resource !== undefined) expect(info.resource).toBe(want.resource);
    if (want.name !== undefined) expect(info.name).toBe(want.name);
    if (want.subresource !== undefined) expect(info.subresource).toBe(want.subresource);
  });
});
