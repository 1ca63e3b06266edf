import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { openEmbeddedStorage } from '../../store/index.js';
import { createApiServer } from '../index.js';
import { newRequestInfo } from '../server/requestinfo.js';
import { auditFilter, microTime } from './filter.js';
import { AuditLogFile } from './log.js';
import { evaluatePolicy, parseAuditPolicy } from './policy.js';

const info = (method: string, path: string) => {
  const u = new URL(path, 'http://x');
  return newRequestInfo(method, u.pathname, u.searchParams);
};
const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };

const policy = parseAuditPolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/version"]
  - level: None
    users: [system:kube-proxy]
    verbs: [watch]
  - level: RequestResponse
    resources:
      - group: ""
        resources: [secrets, "pods/log", "*/status"]
  - level: Metadata
    userGroups: [devs]
    namespaces: [team]
  - level: None
`);

describe('audit policy', () => {
  test.each([
    ['GET', '/healthz/ready', undefined, 'None'],
    ['GET', '/version', alice, 'None'],
    ['GET', '/api/v1/namespaces/a/secrets/s', alice, 'Metadata'],
    ['GET', '/api/v1/namespaces/a/pods/p/log', alice, 'Metadata'],
    ['PUT', '/api/v1/namespaces/a/pods/p/status', alice, 'Metadata'],
    ['GET', '/api/v1/namespaces/team/configmaps', alice, 'Metadata'],
    ['GET', '/api/v1/namespaces/other/configmaps', alice, 'None'],
    ['GET', '/api/v1/services?watch=1', { username: 'system:kube-proxy', groups: [] }, 'None'],
  ])(
    '%s %s is logged at %s (bodies never: RequestResponse becomes Metadata)',
    (m, p, user, level) => {
      expect(evaluatePolicy(policy, info(m, p), user).level).toBe(level);
    },
  );

  test.each([
    [
      'apiVersion: v1\nkind: Policy\nrules: [{level: None}]',
      'expected apiVersion audit.k8s.io/v1 kind Policy',
    ],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []', 'loaded illegal policy with 0 rules'],
    [
      'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Loud}]',
      'rules[0].level: Unsupported value: "Loud"',
    ],
  ])('an invalid policy is refused (%#)', (yaml, message) => {
    expect(() => parseAuditPolicy(yaml)).toThrow(message);
  });

  test('MicroTime has six fractional digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
  });
});

describe('audit log', () => {
  test('requests are logged as JSON-line Events without secret values, in a 0600 file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberx-audit-'));
    const path = join(dir, 'audit.log');
    const sink = new AuditLogFile(path);
    const storage = await openEmbeddedStorage({ memory: true });
    const server = createApiServer({
      storage,
      port: 0,
      compactionIntervalMs: 0,
      filters: [auditFilter({ sink })],
    });
    try {
      const { url } = await server.start();
      const secret = 'dG9wLXNlY3JldC12YWx1ZQ==';
      const created = await fetch(`${url}/api/v1/namespaces/default/secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'audit-test' },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's' },
          data: { k: secret },
        }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('audit-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await fetch(`${url}/api/v1/namespaces/default/secrets/missing`)).status).toBe(404);
      const ac = new AbortController();
      const watch = await fetch(`${url}/api/v1/namespaces/default/configmaps?watch=1`, {
        signal: ac.signal,
      });
      expect(watch.status).toBe(200);
      ac.abort();
      await server.stop();
      await sink.close();
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(secret);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const events = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, any>);
      const create = events.filter(
        (e) => e.verb === 'create' && e.objectRef?.resource === 'secrets',
      );
      expect(create.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
      expect(create[1]).toMatchObject({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        requestURI: '/api/v1/namespaces/default/secrets',
        userAgent: 'audit-test',
        sourceIPs: ['127.0.0.1'],
        objectRef: { resource: 'secrets', namespace: 'default', apiVersion: 'v1' },
        responseStatus: { metadata: {}, code: 201 },
      });
      expect(create[0]!.auditID).toBe(create[1]!.auditID);
      const missing = events.find(
        (e) => e.stage === 'ResponseComplete' && e.objectRef?.name === 'missing',
      );
      expect(missing?.responseStatus).toMatchObject({
        code: 404,
        reason: 'NotFound',
        message: 'secrets "missing" not found',
      });
      const watchStages = events.filter((e) => e.verb === 'watch').map((e) => e.stage);
      expect(watchStages).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    } finally {
      await server.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
