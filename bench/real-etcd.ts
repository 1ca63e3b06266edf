/**
 * How the store's benchmark and end-to-end tests start a real etcd: one member, loopback only,
 * errors-only logging.
 */
export const etcdBinary = process.env.ETCD_BIN ?? '/usr/bin/etcd';

/** Arguments for a single-member etcd on `clientPort`/`peerPort` with data in `dataDir`. */
export function realEtcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name',
    'default',
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `default=${peer}`,
    '--logger',
    'zap',
    '--log-level',
    'error',
  ];
}
