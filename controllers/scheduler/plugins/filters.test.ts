import { makeNode, makePod } from '../fixtures.js';
import { CycleState } from '../framework/cyclestate.js';
import { PodInfo } from '../podinfo.js';
import { NodeAffinity } from './nodeaffinity.js';
import { NodeName } from './nodename.js';
import { NodePorts } from './nodeports.js';
import { NodeResourcesFit } from './noderesources.js';
import { NodeUnschedulable } from './nodeunschedulable.js';
import { SchedulingGates } from './schedulinggates.js';
import { TaintToleration } from './tainttoleration.js';
import { cacheWith, describe as statusOf, filterAll } from './testutil.js';

const one = (node: ReturnType<typeof makeNode>, existing: ReturnType<typeof makePod>[] = []) =>
  cacheWith([node], existing);

describe('NodeResourcesFit filter (noderesources/fit_test.go TestEnoughRequests)', () => {
  const node = makeNode('n', {
    cpu: '10',
    memory: '20',
    pods: '32',
    extra: { 'example.com/aaa': '5' },
  });
  const used = (cpu: string, mem: string) =>
    makePod('u', { nodeName: 'n', cpu, memory: mem, uid: `u-${cpu}-${mem}` });
  test.each([
    ['no resources requested always fits', makePod('p'), [used('10', '20')], ''],
    [
      'too many resources fails on cpu and memory',
      makePod('p', { cpu: '1', memory: '1' }),
      [used('10', '20')],
      'Unschedulable: Insufficient cpu, Insufficient memory',
    ],
    ['equal edge case fits', makePod('p', { cpu: '5', memory: '19' }), [used('5', '1')], ''],
    [
      'one resource memory fits, cpu does not',
      makePod('p', { cpu: '2', memory: '1' }),
      [used('9', '5')],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'a request above the whole allocatable is unresolvable (#131310)',
      makePod('p', { cpu: '11' }),
      [],
      'Unresolvable: Insufficient cpu',
    ],
    [
      'extended resource too many',
      makePod('p', {
        spec: { containers: [{ name: 'c', resources: { requests: { 'example.com/aaa': '6' } } }] },
      }),
      [],
      'Unresolvable: Insufficient example.com/aaa',
    ],
  ])('%s', (_name, pod, existing, expected) => {
    expect(filterAll(new NodeResourcesFit(), one(node, existing), pod)).toEqual({ n: expected });
  });

  test('a node with no room for another pod says Too many pods (allowedPodNumber)', () => {
    const small = makeNode('n', { pods: '1' });
    const r = filterAll(new NodeResourcesFit(), one(small, [used('1', '1')]), makePod('p'));
    expect(r).toEqual({ n: 'Unschedulable: Too many pods' });
  });
});

describe('NodeName (nodename/node_name_test.go)', () => {
  test.each([
    ['no host specified', undefined, ''],
    ['host matches', 'n', ''],
    ['host does not match', 'other', "Unresolvable: node(s) didn't match the requested node name"],
  ])('%s', (_name, nodeName, expected) => {
    const r = filterAll(new NodeName(), one(makeNode('n')), makePod('p', { nodeName }));
    expect(r).toEqual({ n: expected });
  });
});

describe('NodeUnschedulable (node_unschedulable_test.go)', () => {
  const msg = 'Unresolvable: node(s) were unschedulable';
  test.each([
    ['schedulable node', false, [], ''],
    ['cordoned node', true, [], msg],
    [
      'cordoned node, pod tolerates node.kubernetes.io/unschedulable:NoSchedule',
      true,
      [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      '',
    ],
  ])('%s', (_name, unschedulable, tolerations, expected) => {
    const r = filterAll(
      new NodeUnschedulable(),
      one(makeNode('n', { unschedulable })),
      makePod('p', { spec: { tolerations } }),
    );
    expect(r).toEqual({ n: expected });
  });
});

describe('NodePorts (node_ports_test.go TestNodePorts)', () => {
  const withPort = (
    name: string,
    port: number,
    hostIP?: string,
    protocol?: string,
    nodeName?: string,
  ) =>
    makePod(name, {
      nodeName,
      spec: {
        containers: [
          { name: 'c', ports: [{ containerPort: port, hostPort: port, hostIP, protocol }] },
        ],
      },
    });
  const msg = "Unschedulable: node(s) didn't have free ports for the requested pod ports";
  test.each([
    ['nothing running', withPort('p', 8080), [], ''],
    [
      'same port, other protocol',
      withPort('p', 8080, '127.0.0.1', 'UDP'),
      [withPort('e', 8080, '127.0.0.1', 'TCP', 'n')],
      '',
    ],
    [
      'same port and protocol',
      withPort('p', 8080, '127.0.0.1'),
      [withPort('e', 8080, '127.0.0.1', undefined, 'n')],
      msg,
    ],
    [
      'different host IPs do not conflict',
      withPort('p', 8080, '127.0.0.2'),
      [withPort('e', 8080, '127.0.0.1', undefined, 'n')],
      '',
    ],
    [
      '0.0.0.0 conflicts with a specific IP',
      withPort('p', 8001, '0.0.0.0'),
      [withPort('e', 8001, '127.0.0.1', undefined, 'n')],
      msg,
    ],
    [
      'a specific IP conflicts with 0.0.0.0',
      withPort('p', 8001, '127.0.0.1'),
      [withPort('e', 8001, '0.0.0.0', undefined, 'n')],
      msg,
    ],
  ])('%s', (_name, pod, existing, expected) => {
    expect(filterAll(new NodePorts(), one(makeNode('n'), existing), pod)).toEqual({ n: expected });
  });
});

describe('TaintToleration filter (taint_toleration_test.go TestTaintTolerationFilter)', () => {
  const taint = (key: string, value: string | undefined, effect: string) => ({
    key,
    value,
    effect,
  });
  test.each([
    [
      'no tolerations, NoSchedule taint',
      [],
      [taint('dedicated', 'user1', 'NoSchedule')],
      'Unresolvable: node(s) had untolerated taint {dedicated: user1}',
    ],
    [
      'toleration with same key/value/effect',
      [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      [taint('dedicated', 'user1', 'NoSchedule')],
      '',
    ],
    [
      'toleration with other value',
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      [taint('dedicated', 'user1', 'NoSchedule')],
      'Unresolvable: node(s) had untolerated taint {dedicated: user1}',
    ],
    [
      'operator Exists tolerates any value',
      [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      [taint('foo', 'bar', 'NoSchedule')],
      '',
    ],
    [
      'empty key with Exists tolerates everything',
      [{ operator: 'Exists' }],
      [taint('a', 'b', 'NoExecute')],
      '',
    ],
    ['PreferNoSchedule taints never filter', [], [taint('foo', 'bar', 'PreferNoSchedule')], ''],
    [
      'NoExecute taints filter',
      [],
      [taint('node.kubernetes.io/not-ready', undefined, 'NoExecute')],
      'Unresolvable: node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    ],
    [
      'toleration effect must match',
      [{ key: 'foo', operator: 'Exists', effect: 'NoExecute' }],
      [taint('foo', 'bar', 'NoSchedule')],
      'Unresolvable: node(s) had untolerated taint {foo: bar}',
    ],
  ])('%s', (_name, tolerations, taints, expected) => {
    const r = filterAll(
      new TaintToleration(),
      one(makeNode('n', { taints })),
      makePod('p', { spec: { tolerations } }),
    );
    expect(r).toEqual({ n: expected });
  });
});

describe('NodeAffinity filter (node_affinity_test.go TestNodeAffinity)', () => {
  const msg = "Unresolvable: node(s) didn't match Pod's node affinity/selector";
  const required = (...terms: object[]) => ({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    },
  });
  const expr = (key: string, operator: string, values?: string[]) => ({
    matchExpressions: [{ key, operator, values }],
  });
  const node = makeNode('node1', { labels: { foo: 'bar', gpu: '4', zone: 'a' } });
  test.each([
    ['no selector', {}, ''],
    ['nodeSelector matches', { nodeSelector: { foo: 'bar' } }, ''],
    ['nodeSelector does not match', { nodeSelector: { foo: 'baz' } }, msg],
    ['In matches', required(expr('foo', 'In', ['x', 'bar'])), ''],
    ['NotIn excludes', required(expr('foo', 'NotIn', ['bar'])), msg],
    ['Exists', required(expr('zone', 'Exists')), ''],
    ['DoesNotExist', required(expr('zone', 'DoesNotExist')), msg],
    ['Gt compares integers', required(expr('gpu', 'Gt', ['3'])), ''],
    ['Gt fails when smaller', required(expr('gpu', 'Gt', ['4'])), msg],
    ['Lt compares integers', required(expr('gpu', 'Lt', ['5'])), ''],
    ['Gt on a non-integer label never matches', required(expr('foo', 'Gt', ['1'])), msg],
    ['terms are ORed', required(expr('foo', 'In', ['nope']), expr('zone', 'In', ['a'])), ''],
    [
      'expressions in a term are ANDed',
      required({
        matchExpressions: [
          { key: 'foo', operator: 'In', values: ['bar'] },
          { key: 'zone', operator: 'In', values: ['b'] },
        ],
      }),
      msg,
    ],
    ['an empty term matches nothing', required({}), msg],
    [
      'matchFields metadata.name In',
      required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }] }),
      '',
    ],
    [
      'matchFields metadata.name NotIn',
      required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node1'] }] }),
      msg,
    ],
    [
      'nodeSelector AND affinity must both hold',
      { nodeSelector: { foo: 'bar' }, ...required(expr('zone', 'In', ['b'])) },
      msg,
    ],
  ])('%s', (_name, spec, expected) => {
    const r = filterAll(new NodeAffinity(), one(node), makePod('p', { spec: spec as never }));
    expect(r).toEqual({ node1: expected });
  });

  test('matchFields pin the candidate nodes in PreFilter (DaemonSet pods)', () => {
    const pod = new PodInfo(
      makePod('p', {
        spec: required({
          matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node2'] }],
        }) as never,
      }),
    );
    const out = new NodeAffinity().preFilter(new CycleState(), pod);
    expect([...(out?.result?.nodeNames ?? [])]).toEqual(['node2']);
  });

  test('terms pinning contradictory names are a conflict', () => {
    const pod = new PodInfo(
      makePod('p', {
        spec: required({
          matchFields: [
            { key: 'metadata.name', operator: 'In', values: ['a'] },
            { key: 'metadata.name', operator: 'In', values: ['b'] },
          ],
        }) as never,
      }),
    );
    const out = new NodeAffinity().preFilter(new CycleState(), pod);
    expect(statusOf(out?.status)).toBe('Unresolvable: pod affinity terms conflict');
  });
});

describe('SchedulingGates (scheduling_gates_test.go)', () => {
  test.each([
    ['no gates', [], ''],
    [
      'gated',
      [{ name: 'foo' }, { name: 'bar' }],
      'Unresolvable: waiting for scheduling gates: [foo bar]',
    ],
  ])('%s', (_name, gates, expected) => {
    const s = new SchedulingGates().preEnqueue(
      new PodInfo(makePod('p', { spec: { schedulingGates: gates } })),
    );
    expect(statusOf(s)).toBe(expected);
  });
});
