/**
 * Bearer tokens of `kuberx up`'s in-process components (the API server's `--token-auth-file`):
 * one per simulated node (`system:node:<name>` in `system:nodes`), the node simulator's reader,
 * the controller-manager (`system:kube-controller-manager`) and the scheduler
 * (`system:kube-scheduler`) — the same identities their client certificates carry. Tokens already
 * in the file are kept (a restarted cluster reuses them); missing ones are added. The file is
 * written atomically with mode 0600.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { componentIdentities } from '../../apiserver/pki/index.js';
import { nodeSimulatorUser } from './defaults.js';

export interface ClusterTokens {
  /** Token of each node, by node name. */
  nodes: Map<string, string>;
  /** Token of the node simulator's reader identity. */
  reader: string;
  controllerManager: string;
  scheduler: string;
}

interface TokenRecord {
  token: string;
  user: string;
  uid: string;
  groups: string;
}

function parse(text: string): TokenRecord[] {
  const out: TokenRecord[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^,]+),([^,]+),([^,]+),"([^"]*)"$/.exec(line.trim());
    if (m) out.push({ token: m[1]!, user: m[2]!, uid: m[3]!, groups: m[4]! });
  }
  return out;
}

/** Reads `path`, adds the tokens that are missing, writes it back when it changed. */
export async function ensureClusterTokens(
  path: string,
  nodeNames: readonly string[],
): Promise<ClusterTokens> {
  let records: TokenRecord[] = [];
  try {
    records = parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const byUser = new Map(records.map((r) => [r.user, r]));
  let changed = false;
  const ensure = (user: string, groups: string): string => {
    let r = byUser.get(user);
    if (!r) {
      r = { token: randomBytes(24).toString('base64url'), user, uid: randomUUID(), groups };
      byUser.set(user, r);
      records.push(r);
      changed = true;
    }
    return r.token;
  };
  const tokens: ClusterTokens = {
    reader: ensure(nodeSimulatorUser, 'system:nodes'),
    controllerManager: ensure(componentIdentities.controllerManager.user, ''),
    scheduler: ensure(componentIdentities.scheduler.user, ''),
    nodes: new Map(nodeNames.map((n) => [n, ensure(`system:node:${n}`, 'system:nodes')])),
  };
  if (changed) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp`;
    const text = records.map((r) => `${r.token},${r.user},${r.uid},"${r.groups}"`).join('\n');
    await writeFile(tmp, `${text}\n`, { mode: 0o600 });
    await rename(tmp, path);
  }
  return tokens;
}
