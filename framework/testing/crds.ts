/**
 * Installing CustomResourceDefinitions from YAML manifests, as `kubectl apply -f crds/` would, and
 * waiting until the server serves them (their kinds appear in discovery).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  groupVersionPath,
  kinds,
  type ApiClient,
  type CustomResourceDefinition,
} from '../client/index.js';

/** Creates every CRD in `paths` (YAML files or folders of them); resolves once all are served. */
export async function installCRDs(
  client: ApiClient,
  paths: string[],
  timeoutMs = 10_000,
): Promise<CustomResourceDefinition[]> {
  const installed: CustomResourceDefinition[] = [];
  for (const file of await yamlFiles(paths)) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      installed.push(await client.create(crd, { kind: kinds.CustomResourceDefinition }));
    }
  }
  for (const crd of installed) await waitUntilServed(client, crd, timeoutMs);
  return installed;
}

async function waitUntilServed(
  client: ApiClient,
  crd: CustomResourceDefinition,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    for (;;) {
      const list = await client.rest
        .json<{ resources?: Array<{ name: string }> }>({
          method: 'GET',
          path: groupVersionPath({ group: crd.spec.group, version: version.name }),
        })
        .catch(() => undefined);
      if (list?.resources?.some((r) => r.name === crd.spec.names.plural)) break;
      if (Date.now() > deadline) {
        throw new Error(
          `CustomResourceDefinition ${crd.metadata?.name} was not served within ${timeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function yamlFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      for (const f of (await readdir(p)).sort()) if (/\.ya?ml$/.test(f)) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}
