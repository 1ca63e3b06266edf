/**
 * `kuberx apiserver` with the admission, limit, encryption and audit flags, run in-process:
 * the default admission chain is on, `--disable-admission-plugins` turns a plugin off, the
 * encryption configuration keeps Secret values out of the data directory, the audit log is
 * written, and a bad flag value stops the command with a clear error.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../cli/index.js';

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts the command, returns its URL and a stop function (SIGTERM, as a user would). */
async function start(args: string[]) {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (s: string) => void (out += s) },
    stderr: { write: (s: string) => void (err += s) },
  };
  const done = runCli(
    ['node', 'kuberx', 'apiserver', '--insecure-http', '--port', '0', ...args],
    io,
  );
  for (let i = 0; i < 400 && !/ready: (\S+)/.test(out); i++) {
    const settled = await Promise.race([
      done.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 25)),
    ]);
    if (settled) break;
  }
  const url = /ready: (\S+)/.exec(out)?.[1];
  return {
    url,
    err: () => err,
    done,
    async stop() {
      process.emit('SIGTERM');
      return done;
    },
  };
}

async function filesUnder(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await readdir(d)) {
    const p = join(d, f);
    if ((await stat(p)).isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

const post = (url: string, path: string, body: unknown) =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('kuberx apiserver security flags', () => {
  test('admission defaults, encryption at rest and the audit log are wired', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-adm-cli-'));
    const key = Buffer.alloc(32, 3).toString('base64');
    await writeFile(
      join(dir, 'enc.yaml'),
      `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys: [{name: k1, secret: ${key}}]\n      - identity: {}\n`,
    );
    const audit = join(dir, 'audit.log');
    const s = await start([
      '--data-dir',
      join(dir, 'data'),
      '--encryption-provider-config',
      join(dir, 'enc.yaml'),
      '--audit-log-path',
      audit,
      '--max-mutating-requests-inflight',
      '50',
    ]);
    expect(s.url).toBeDefined();
    const pod = await post(s.url!, '/api/v1/namespaces/default/pods', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    expect(pod.status).toBe(403);
    expect(((await pod.json()) as { message: string }).message).toContain(
      'error looking up service account default/default',
    );
    const marker = 'Y2xpLXNlY3JldC1tYXJrZXI=';
    expect(
      (
        await post(s.url!, '/api/v1/namespaces/default/secrets', {
          metadata: { name: 's' },
          data: { k: marker },
        })
      ).status,
    ).toBe(201);
    expect(await s.stop()).toBe(0);
    const leaked = [];
    for (const f of await filesUnder(join(dir, 'data')))
      if ((await readFile(f)).includes(marker)) leaked.push(f);
    expect(leaked).toEqual([]);
    const events = (await readFile(audit, 'utf8'))
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            verb: string;
            objectRef?: { resource: string };
            responseStatus?: { code: number };
          },
      );
    expect(
      events.some(
        (e) =>
          e.verb === 'create' && e.objectRef?.resource === 'pods' && e.responseStatus?.code === 403,
      ),
    ).toBe(true);
    expect((await readFile(audit, 'utf8')).includes(marker)).toBe(false);
  }, 60_000);

  test('--disable-admission-plugins turns ServiceAccount off', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-adm-cli-'));
    const s = await start([
      '--memory',
      '--data-dir',
      dir,
      '--disable-admission-plugins',
      'ServiceAccount',
    ]);
    const pod = await post(s.url!, '/api/v1/namespaces/default/pods', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    expect(pod.status).toBe(201);
    const spec = (
      (await pod.json()) as { spec: { serviceAccountName?: string; tolerations: unknown[] } }
    ).spec;
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.tolerations).toHaveLength(2);
    expect(await s.stop()).toBe(0);
  }, 60_000);

  test('an unknown admission plugin stops the command with upstream message', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-adm-cli-'));
    const s = await start(['--memory', '--data-dir', dir, '--enable-admission-plugins', 'Bogus']);
    expect(s.url).toBeUndefined();
    expect(await s.done).not.toBe(0);
    expect(s.err()).toContain('enable-admission-plugins plugin "Bogus" is unknown');
  });
});
