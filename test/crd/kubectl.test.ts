/**
 * The CronTab CRD of the Kubernetes documentation driven by real kubectl (1.27, 1.30 and 1.33,
 * each against its own in-process server): create the CRD, wait for Established, apply and
 * re-apply a CronTab (client-side apply uses a JSON merge patch for custom resources) and
 * server-side apply it, get it with the printer columns and by short name, scale it, patch it
 * (merge works, strategic is refused with 415), explain it, see validation errors, list it in
 * api-resources, and delete the CRD (kubectl waits for the finalizer, the instances go with it).
 *
 * kubectl missing: a failure with CI=true, skipped with a message otherwise.
 */
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, kubectlDir } from '../kubectl/kubectl-runner.js';
import { startTestServer, type TestServer } from '../apiserver/harness.js';
import { crontabCRDYaml } from './fixtures.js';

jest.setTimeout(120_000);

const wanted = ['1.27', '1.30', '1.33'];
const versions = wanted.filter((v) => existsSync(join(kubectlDir, `kubectl.${v}`)));

const cronTabYaml = (image: string, extra = '') => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * * */5"
  image: ${image}
${extra}`;

function suite(version: string): void {
  let s: TestServer;
  let k: Kubectl;

  beforeAll(async () => {
    s = await startTestServer();
    k = new Kubectl(version, s.url, 'default');
  });
  afterAll(async () => {
    await k.close();
    await s.stop();
  });

  test('kubectl create -f makes the CRD and kubectl wait sees it Established', async () => {
    const out = await k.ok(['create', '-f', k.file('crd.yaml', crontabCRDYaml)]);
    expect(out.trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created',
    );
    const waited = await k.ok([
      'wait',
      '--for=condition=Established',
      '--timeout=30s',
      'crd/crontabs.stable.example.com',
    ]);
    expect(waited.trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met',
    );
  });

  test('kubectl api-resources lists the custom resource with its short name', async () => {
    const out = await k.ok(['api-resources', '--api-group=stable.example.com']);
    expect(out).toMatch(/crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
  });

  test('kubectl apply creates a CronTab, a changed re-apply configures it', async () => {
    const created = await k.ok([
      'apply',
      '-f',
      k.file('ct.yaml', cronTabYaml('my-awesome-cron-image')),
    ]);
    expect(created.trim()).toBe('crontab.stable.example.com/my-new-cron-object created');
    const configured = await k.ok([
      'apply',
      '-f',
      k.file('ct2.yaml', cronTabYaml('my-other-image')),
    ]);
    expect(configured.trim()).toBe('crontab.stable.example.com/my-new-cron-object configured');
    const image = await k.ok([
      'get',
      'crontab',
      'my-new-cron-object',
      '-o',
      'jsonpath={.spec.image}',
    ]);
    expect(image).toBe('my-other-image');
  });

  test('kubectl apply --server-side takes ownership of the fields it sets', async () => {
    const out = await k.ok([
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      k.file('ct3.yaml', cronTabYaml('ssa-image', '  replicas: 2\n')),
    ]);
    expect(out.trim()).toBe('crontab.stable.example.com/my-new-cron-object serverside-applied');
    const replicas = await k.ok([
      'get',
      'ct',
      'my-new-cron-object',
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    expect(replicas).toBe('2');
  });

  test('kubectl get prints the printer columns, also by short name', async () => {
    const out = await k.ok(['get', 'ct']);
    const [header, row] = out.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(row).toMatch(/^my-new-cron-object\s+\* \* \* \* \*\/5\s+2\s+\d+s$/);
  });

  test('kubectl scale changes the replicas through the scale subresource', async () => {
    const out = await k.ok(['scale', 'crontab/my-new-cron-object', '--replicas=3']);
    expect(out.trim()).toBe('crontab.stable.example.com/my-new-cron-object scaled');
    const replicas = await k.ok([
      'get',
      'crontab',
      'my-new-cron-object',
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    expect(replicas).toBe('3');
  });

  test('kubectl patch: merge patches apply, strategic merge patches are refused (415)', async () => {
    const merged = await k.ok([
      'patch',
      'crontab',
      'my-new-cron-object',
      '--type=merge',
      '-p',
      '{"spec":{"image":"patched"}}',
    ]);
    expect(merged.trim()).toBe('crontab.stable.example.com/my-new-cron-object patched');
    const smp = await k.run([
      'patch',
      'crontab',
      'my-new-cron-object',
      '--type=strategic',
      '-p',
      '{"spec":{"image":"smp"}}',
    ]);
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toContain(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  test('kubectl explain describes the schema of the custom resource', async () => {
    const out = await k.ok(['explain', 'crontab.spec']);
    expect(out).toMatch(/KIND:\s+CronTab/);
    expect(out).toMatch(/replicas\s+<integer>/);
    expect(out).toMatch(/cronSpec\s+<string>/);
  });

  test('kubectl shows the schema validation errors of an invalid CronTab', async () => {
    const bad = cronTabYaml('x', '  replicas: 15\n').replace('my-new-cron-object', 'bad');
    const r = await k.run(['create', '-f', k.file('bad.yaml', bad)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10',
    );
  });

  test('kubectl delete crd waits for the instances to go and the resource stops being served', async () => {
    const out = await k.ok(['delete', 'crd', 'crontabs.stable.example.com']);
    expect(out.trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted',
    );
    const left = await s.storage.list('/registry/stable.example.com/crontabs/', {
      countOnly: true,
    });
    expect(left.count).toBe(0);
    const r = await k.run(['get', 'crontabs.stable.example.com']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`the server doesn't have a resource type "crontabs"`);
  });
}

if (versions.length > 0) {
  describe.each(versions)('the CronTab CRD with kubectl %s', suite);
} else if (process.env.CI === 'true') {
  test('kubectl 1.27, 1.30 or 1.33 is installed', () => {
    throw new Error(`none of kubectl.${wanted.join(', kubectl.')} under ${kubectlDir}`);
  });
} else {
  process.stderr.write(
    `skipping the CRD kubectl suite: no kubectl.${wanted.join('/')} under ${kubectlDir}\n`,
  );
  test.skip('kubectl suite (kubectl not installed)', () => undefined);
}
