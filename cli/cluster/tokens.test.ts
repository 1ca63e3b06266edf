import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTokenFile } from '../../apiserver/auth/index.js';
import { ensureClusterTokens } from './tokens.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kuberx-tokens-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('every component and node gets a token the API server reads as its identity', async () => {
  const path = join(dir, 'pki', 'component-tokens.csv');
  const tokens = await ensureClusterTokens(path, ['n-1', 'n-2']);
  const users = parseTokenFile(await readFile(path, 'utf8'));
  expect(users.get(tokens.nodes.get('n-2')!)).toMatchObject({
    username: 'system:node:n-2',
    groups: ['system:nodes'],
  });
  expect(users.get(tokens.controllerManager)).toMatchObject({
    username: 'system:kube-controller-manager',
    groups: [],
  });
  expect(users.get(tokens.scheduler)?.username).toBe('system:kube-scheduler');
  expect(users.get(tokens.reader)).toMatchObject({ groups: ['system:nodes'] });
  expect((await stat(path)).mode & 0o777).toBe(0o600);
});

test('a restart keeps the tokens it had and adds those of new nodes', async () => {
  const path = join(dir, 'tokens.csv');
  const first = await ensureClusterTokens(path, ['n-1']);
  const second = await ensureClusterTokens(path, ['n-1', 'n-2']);
  expect(second.nodes.get('n-1')).toBe(first.nodes.get('n-1'));
  expect(second.controllerManager).toBe(first.controllerManager);
  expect(second.nodes.get('n-2')).not.toBe(second.nodes.get('n-1'));
  expect(parseTokenFile(await readFile(path, 'utf8')).size).toBe(5);
});
