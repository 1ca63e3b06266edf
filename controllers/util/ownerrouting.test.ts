/**
 * Routing child events to owners, after upstream's `TestUpdatePod…` cases of the DaemonSet and
 * StatefulSet controllers (`TestUpdatePodChangeControllerRef`, `TestUpdatePodRelease`,
 * `TestUpdatePodOrphanWithNewLabels`, `TestUpdatePodOrphanSameLabels`).
 */
import {
  labelSelectorFromObject,
  type DaemonSet,
  type Informer,
  type Pod,
} from '../../framework/index.js';
import { OwnerRouter } from './ownerrouting.js';

const owners: DaemonSet[] = [
  {
    metadata: { name: 'a', namespace: 'ns', uid: 'uid-a' },
    spec: { selector: { matchLabels: { app: 'x' } }, minReadySeconds: 5 } as never,
  },
  {
    metadata: { name: 'b', namespace: 'ns', uid: 'uid-b' },
    spec: { selector: { matchLabels: { app: 'x', tier: 'y' } } } as never,
  },
  { metadata: { name: 'all', namespace: 'ns', uid: 'uid-all' }, spec: { selector: {} } as never },
  {
    metadata: { name: 'elsewhere', namespace: 'other', uid: 'uid-e' },
    spec: { selector: { matchLabels: { app: 'x' } } } as never,
  },
];

const informer = {
  store: {
    getByName: (ns: string | undefined, name: string) =>
      owners.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name),
    list: (o: { namespace?: string }) =>
      owners.filter((x) => x.metadata?.namespace === o.namespace),
  },
} as unknown as Informer<DaemonSet>;

const router = new OwnerRouter<DaemonSet>({
  kind: 'DaemonSet',
  owners: informer,
  selector: (o) => labelSelectorFromObject(o.spec?.selector),
  minReadySeconds: (o) => o.spec?.minReadySeconds ?? 0,
});

const ref = (name: string, uid: string) => [
  { apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true },
];

function pod(
  rv: string,
  o: { labels?: Record<string, string>; owner?: [string, string]; ready?: boolean } = {},
): Pod {
  return {
    metadata: {
      name: 'p',
      namespace: 'ns',
      resourceVersion: rv,
      labels: o.labels,
      ownerReferences: o.owner ? ref(...o.owner) : undefined,
    },
    status: { conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] },
  };
}

const woken = (old: Pod, cur: Pod) =>
  router
    .updated(old, cur)
    .map((w) => `${w.owner.metadata?.name}${w.afterMs ? `+${w.afterMs}` : ''}`);

test.each<[string, Pod, Pod, string[]]>([
  [
    'a resync (same resourceVersion) wakes nobody',
    pod('1', { owner: ['a', 'uid-a'] }),
    pod('1', { owner: ['a', 'uid-a'] }),
    [],
  ],
  [
    'an owned pod wakes its owner',
    pod('1', { owner: ['a', 'uid-a'] }),
    pod('2', { owner: ['a', 'uid-a'] }),
    ['a'],
  ],
  [
    'turning Ready wakes the owner again after minReadySeconds + 1 s',
    pod('1', { owner: ['a', 'uid-a'] }),
    pod('2', { owner: ['a', 'uid-a'], ready: true }),
    ['a', 'a+6000'],
  ],
  [
    'a changed controller wakes the old and the new owner',
    pod('1', { owner: ['a', 'uid-a'] }),
    pod('2', { owner: ['b', 'uid-b'] }),
    ['a', 'b'],
  ],
  [
    'a reference with a stale UID resolves to nobody',
    pod('1'),
    pod('2', { owner: ['a', 'uid-old'] }),
    [],
  ],
  [
    'a released pod wakes its old owner and the owners selecting it',
    pod('1', { labels: { app: 'x' }, owner: ['a', 'uid-a'] }),
    pod('2', { labels: { app: 'x' } }),
    ['a', 'a'],
  ],
  [
    'an orphan with new labels wakes the owners selecting it (not the empty selector)',
    pod('1'),
    pod('2', { labels: { app: 'x', tier: 'y' } }),
    ['a', 'b'],
  ],
  [
    'an orphan with the same labels wakes nobody',
    pod('1', { labels: { app: 'x' } }),
    pod('2', { labels: { app: 'x' } }),
    [],
  ],
])('%s', (_n, old, cur, want) => {
  expect(woken(old, cur)).toEqual(want);
});

test('resolve needs the kind, the name and the UID', () => {
  expect(router.resolve('ns', ref('a', 'uid-a')[0])?.metadata?.name).toBe('a');
  expect(router.resolve('ns', { ...ref('a', 'uid-a')[0]!, kind: 'ReplicaSet' })).toBeUndefined();
  expect(router.resolve('other', ref('a', 'uid-a')[0])).toBeUndefined();
});

test('a child without labels is selected by nobody', () => {
  expect(router.selecting(pod('1'))).toEqual([]);
});
