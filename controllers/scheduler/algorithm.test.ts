import { Algorithm, numFeasibleNodesToFind } from './algorithm.js';
import { SchedulerCache } from './cache/cache.js';
import { fitErrorMessage, truncateMessage } from './fiterror.js';
import { makeNode, makePod } from './fixtures.js';
import { CycleState } from './framework/cyclestate.js';
import { NodeToStatus } from './framework/interfaces.js';
import { Framework } from './framework/runtime.js';
import { unresolvable, unschedulable } from './framework/status.js';
import { StaticListers } from './listers.js';
import { NodeResourcesFit } from './plugins/noderesources.js';
import { TaintToleration } from './plugins/tainttoleration.js';
import { PodInfo } from './podinfo.js';

describe('numFeasibleNodesToFind (schedule_one_test.go TestNumFeasibleNodesToFind)', () => {
  test.each([
    ['fewer than 100 nodes: all of them', 0, 10, 10],
    ['99 nodes', 0, 99, 99],
    ['1000 nodes, adaptive 42 %', 0, 1000, 420],
    ['5000 nodes, adaptive 10 %', 0, 5000, 500],
    ['6000 nodes, adaptive floor of 5 %', 0, 6000, 300],
    ['10000 nodes, 5 %', 0, 10000, 500],
    ['1000 nodes, percentage 40', 40, 1000, 400],
    ['1000 nodes, percentage 5 but never fewer than 100', 5, 1000, 100],
    ['150 nodes, percentage 10 → 100', 10, 150, 100],
  ])('%s', (_name, percentage, nodes, expected) => {
    expect(numFeasibleNodesToFind(nodes, percentage)).toBe(expected);
  });
});

describe('FitError message (types.go FitError.Error)', () => {
  test('reasons are counted per node and sorted as strings, then the PostFilter message', () => {
    const m = new NodeToStatus();
    m.set('a', unschedulable('Insufficient cpu'));
    m.set('b', unschedulable('Insufficient cpu'));
    for (const n of ['c', 'd', 'e']) {
      m.set(n, unresolvable('node(s) had untolerated taint {node.kubernetes.io/not-ready: }'));
    }
    const msg = fitErrorMessage(5, {
      nodeToStatus: m,
      unschedulablePlugins: new Set(),
      preFilterMsg: '',
      postFilterMsg:
        'preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    });
    expect(msg).toBe(
      '0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    );
  });

  test('a node with several reasons counts each; "10 x" sorts before "2 y" as in Go', () => {
    const m = new NodeToStatus();
    m.set('a', unschedulable('Insufficient cpu', 'Insufficient memory'));
    for (let i = 0; i < 10; i++) m.set(`n${i}`, unschedulable('Too many pods'));
    m.set('b', unschedulable('Insufficient cpu'));
    const msg = fitErrorMessage(12, {
      nodeToStatus: m,
      unschedulablePlugins: new Set(),
      preFilterMsg: '',
      postFilterMsg: '',
    });
    expect(msg).toBe(
      '0/12 nodes are available: 1 Insufficient memory, 10 Too many pods, 2 Insufficient cpu.',
    );
  });

  test('nodes never examined count with the absent-node status', () => {
    const m = new NodeToStatus();
    m.absentStatus = unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
    m.set('a', unschedulable('Insufficient cpu'));
    expect(
      fitErrorMessage(3, {
        nodeToStatus: m,
        unschedulablePlugins: new Set(),
        preFilterMsg: '',
        postFilterMsg: '',
      }),
    ).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });

  test('a PreFilter rejection replaces the per-node reasons', () => {
    expect(
      fitErrorMessage(4, {
        nodeToStatus: new NodeToStatus(),
        unschedulablePlugins: new Set(),
        preFilterMsg: 'pod affinity terms conflict',
        postFilterMsg: '',
      }),
    ).toBe('0/4 nodes are available: pod affinity terms conflict.');
  });

  test('messages longer than 1024 characters are cut with " ..." (truncateMessage)', () => {
    const cut = truncateMessage('x'.repeat(2000));
    expect(cut).toHaveLength(1024);
    expect(cut.endsWith(' ...')).toBe(true);
    expect(truncateMessage('short')).toBe('short');
  });
});

describe('the search (findNodesThatPassFilters)', () => {
  function setup(nodes: number) {
    const cache = new SchedulerCache(new StaticListers());
    for (let i = 0; i < nodes; i++)
      cache.addOrUpdateNode(makeNode(`n${String(i).padStart(4, '0')}`));
    const fw = new Framework(
      [new TaintToleration(), new NodeResourcesFit()],
      { NodeResourcesFit: 1, TaintToleration: 3 },
      cache,
    );
    return { cache, fw, algo: new Algorithm(cache, fw, { random: () => 0.5 }) };
  }

  test('with 1000 nodes it stops after 420 feasible nodes and starts the next search after them', () => {
    const { algo } = setup(1000);
    const first = algo.schedulePod(new CycleState(), new PodInfo(makePod('p')));
    expect(first).toMatchObject({ kind: 'scheduled', evaluatedNodes: 420, feasibleNodes: 420 });
    const second = algo.schedulePod(new CycleState(), new PodInfo(makePod('q')));
    expect(second).toMatchObject({ kind: 'scheduled', evaluatedNodes: 420 });
  });

  test('no nodes at all is reported as such', () => {
    const { algo } = setup(0);
    expect(algo.schedulePod(new CycleState(), new PodInfo(makePod('p'))).kind).toBe('noNodes');
  });

  test('a nominated node that fits is taken without searching the others', () => {
    const { algo } = setup(200);
    const pod = makePod('p', { status: { phase: 'Pending', nominatedNodeName: 'n0150' } });
    expect(algo.schedulePod(new CycleState(), new PodInfo(pod))).toEqual({
      kind: 'scheduled',
      host: 'n0150',
      evaluatedNodes: 1,
      feasibleNodes: 1,
    });
  });

  test('nodes are examined round-robin across zones (node tree)', () => {
    const cache = new SchedulerCache(new StaticListers());
    for (const [name, zone] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['a3', 'a'],
      ['b1', 'b'],
      ['c1', 'c'],
      ['c2', 'c'],
    ]) {
      cache.addOrUpdateNode(makeNode(name!, { labels: { 'topology.kubernetes.io/zone': zone! } }));
    }
    expect(cache.allNodes().map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });
});
