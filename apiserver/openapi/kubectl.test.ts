/**
 * Real kubectl (every installed version from 1.27 to 1.33) against the OpenAPI service, behind a
 * minimal discovery stub on a free loopback port: `kubectl explain` (OpenAPI v3, and v2 through
 * the protobuf document), and a client dry-run create with `--validate=strict`, which downloads
 * and parses the whole `/openapi/v2` protobuf and checks the `fieldValidation` parameter in v3.
 *
 * Outside CI the suite skips with a message when kubectl is missing; with CI=true it fails.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newSchemaSet } from '../schema/index.js';
import { OpenApiService, type OpenApiResource } from './index.js';

const exec = promisify(execFile);
const sdk = '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].filter((v) =>
  existsSync(`${sdk}/kubectl.${v}`),
);
if (versions.length === 0 && process.env.CI === 'true') {
  throw new Error(`kubectl is required in CI: none of ${sdk}/kubectl.1.27…1.33 exists`);
}
const describeKubectl = versions.length > 0 ? describe : describe.skip;
if (versions.length === 0) {
  // eslint-disable-next-line no-console
  console.warn('kubectl not installed: skipping the OpenAPI kubectl suite');
}

const resources: OpenApiResource[] = [
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    subresources: ['status', 'scale'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    subresources: ['status'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    subresources: ['status'],
  },
  // Without a PATCH operation kubectl cannot confirm server-side field validation, so it
  // validates ConfigMaps itself against the v2 protobuf document.
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: ['get', 'list', 'create'],
  },
];

/** Legacy discovery for the resources above, just enough for kubectl's REST mapper. */
function discovery(path: string): unknown {
  const list = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: resources
      .filter((r) => (r.group ? `${r.group}/${r.version}` : r.version) === gv)
      .map((r) => ({
        name: r.resource,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      })),
  });
  switch (path) {
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: 'apps',
            versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
            preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
          },
        ],
      };
    case '/api/v1':
      return list('v1');
    case '/apis/apps/v1':
      return list('apps/v1');
    case '/apis/apiextensions.k8s.io/v1/customresourcedefinitions':
      // kubectl lists CRDs before validating a kind client-side.
      return {
        kind: 'CustomResourceDefinitionList',
        apiVersion: 'apiextensions.k8s.io/v1',
        metadata: { resourceVersion: '1' },
        items: [],
      };
    case '/version':
      return { major: '1', minor: '33', gitVersion: 'v1.33.0' };
    default:
      return undefined;
  }
}

describeKubectl('kubectl against the OpenAPI documents', () => {
  let server: Server;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const openapi = new OpenApiService({ schemas: newSchemaSet(), resources: () => resources });
  const requests: { path: string; accept: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ path: url.pathname, accept: req.headers.accept ?? '' });
      const served = openapi.handle({
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
      });
      if (served) {
        res.writeHead(served.status, served.headers);
        res.end(served.body);
        return;
      }
      const body = discovery(url.pathname.replace(/\/$/, ''));
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          body ?? {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            code: 404,
            reason: 'NotFound',
          },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), 'kuberx-openapi-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
        'users: [{name: u, user: {}}]',
        'contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]',
        'current-context: x',
      ].join('\n'),
    );
    env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), HOME: dir };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const kubectl = (version: string, args: string[]) =>
    exec(`${sdk}/kubectl.${version}`, args, { env, timeout: 60_000 });

  test.each(versions)('kubectl %s explains deployment.spec.strategy from OpenAPI v3', async (v) => {
    const { stdout } = await kubectl(v, ['explain', 'deployment.spec.strategy']);
    expect(stdout).toMatch(/KIND:\s+Deployment/);
    expect(stdout).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
    expect(stdout).toContain('rollingUpdate');
    expect(stdout).toContain(
      'DeploymentStrategy describes how to replace existing pods with new ones.',
    );
  });

  test.each(versions)('kubectl %s explains pods from the v2 protobuf document', async (v) => {
    const { stdout } = await kubectl(v, [
      'explain',
      'pod.spec.containers.ports',
      '--output',
      'plaintext-openapiv2',
    ]);
    expect(stdout).toContain('RESOURCE: ports <[]Object>');
    expect(stdout).toContain('containerPort');
  });

  test.each(versions)(
    'kubectl %s validates a manifest with --validate=strict (client dry run)',
    async (v) => {
      const manifest = join(dir, `deploy-${v}.yaml`);
      await writeFile(
        manifest,
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web}',
          'spec:',
          '  selector: {matchLabels: {app: web}}',
          '  template:',
          '    metadata: {labels: {app: web}}',
          '    spec: {containers: [{name: web, image: nginx}]}',
        ].join('\n'),
      );
      requests.length = 0;
      const { stdout } = await kubectl(v, [
        'create',
        '-f',
        manifest,
        '--dry-run=client',
        '--validate=strict',
        '-o',
        'name',
      ]);
      expect(stdout.trim()).toBe('deployment.apps/web');
      const v2 = {
        path: '/openapi/v2',
        accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      };
      if (Number(v.split('.')[1]) <= 28) {
        // Older kubectl always downloads and parses the whole v2 protobuf document.
        expect(requests).toContainEqual(v2);
      } else {
        // Newer kubectl finds fieldValidation on the v3 PATCH operation and skips v2 entirely.
        expect(requests.map((r) => r.path)).toContain('/openapi/v3');
        expect(requests).not.toContainEqual(v2);
      }
    },
  );

  test.each(versions)(
    'kubectl %s rejects an unknown field using the v2 protobuf schema',
    async (v) => {
      const manifest = join(dir, `cm-${v}.yaml`);
      const cm = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: cfg}', 'data: {a: b}'];
      await writeFile(manifest, cm.join('\n'));
      const args = [
        'create',
        '-f',
        manifest,
        '--dry-run=client',
        '--validate=strict',
        '-o',
        'name',
      ];
      expect((await kubectl(v, args)).stdout.trim()).toBe('configmap/cfg');
      await writeFile(manifest, [...cm, 'dataX: {a: b}'].join('\n'));
      await expect(kubectl(v, args)).rejects.toMatchObject({
        stderr: expect.stringContaining('unknown field "dataX"'),
      });
    },
  );
});
