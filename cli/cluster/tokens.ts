/**
 * Bearer tokens of the simulated nodes (the API server's `--token-auth-file`): one per node,
 * `system:node:<name>` in `system:nodes`, plus the node simulator's reader. Tokens already in the
 * file are kept (a restarted cluster reuses them); missing ones are added. The file is written
 * atomically with mode 0600.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nodeSimulatorUser } from './defaults.js';

export interface NodeTokens {
  /** Token of each node, by node name. */
  nodes: Map<string, string>;
  /** Token of the simulator's reader identity. */
  reader: string;
}

interface Record {
  token: string;
  user: string;
  uid: string;
  groups: string;
}

function parse(text: string): Record[] {
  const out: Record[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^,]+),([^,]+),([^,]+),"([^"]*)"$/.exec(line.trim());
    if (m) out.push({ token: m[1]!, user: m[2]!, uid: m[3]!, groups: m[4]! });
  }
  return out;
}

/** Reads `path`, adds tokens for `nodeNames` that have none, writes it back when it changed. */
export async function ensureNodeTokens(
  path: string,
  nodeNames: readonly string[],
): Promise<NodeTokens> {
  let records: Record[] = [];
  try {
    records = parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const byUser = new Map(records.map((r) => [r.user, r]));
  let changed = false;
  const ensure = (user: string): string => {
    let r = byUser.get(user);
    if (!r) {
      r = {
        token: randomBytes(24).toString('base64url'),
        user,
        uid: randomUUID(),
        groups: 'system:nodes',
      };
      byUser.set(user, r);
      records.push(r);
      changed = true;
    }
    return r.token;
  };
  const reader = ensure(nodeSimulatorUser);
  const nodes = new Map(nodeNames.map((n) => [n, ensure(`system:node:${n}`)]));
  if (changed) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp`;
    const text = records.map((r) => `${r.token},${r.user},${r.uid},"${r.groups}"`).join('\n');
    await writeFile(tmp, `${text}\n`, { mode: 0o600 });
    await rename(tmp, path);
  }
  return { nodes, reader };
}
