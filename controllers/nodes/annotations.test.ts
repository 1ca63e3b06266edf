import { parseDuration, parseNodeSimulation, parsePodBehaviour } from './annotations.js';

test.each([
  ['500ms', 500],
  ['2s', 2_000],
  ['1.5s', 1_500],
  ['1m30s', 90_000],
  ['1h', 3_600_000],
  ['3', 3_000],
  ['0', 0],
  ['forever', Infinity],
  ['-1s', undefined],
  ['1x', undefined],
  ['s', undefined],
  ['1s junk', undefined],
])('duration %j is %p ms', (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});

test.each([
  ['Never', {}, { runTimeMs: 1_000, exitCode: 0 }],
  ['OnFailure', {}, { runTimeMs: 1_000, exitCode: 0 }],
  ['Always', {}, { runTimeMs: Infinity, exitCode: 0 }],
  [
    'Always',
    { 'kuberx.io/run-time': '5s', 'kuberx.io/exit-code': '7' },
    { runTimeMs: 5_000, exitCode: 7 },
  ],
  ['Never', { 'kuberx.io/run-time': 'forever' }, { runTimeMs: Infinity, exitCode: 0 }],
])('a %s pod with %j runs %j', (restartPolicy, annotations, expected) => {
  const { behaviour, invalid } = parsePodBehaviour({
    metadata: { annotations },
    spec: { restartPolicy },
  });
  expect(behaviour).toMatchObject(expected);
  expect(invalid).toEqual([]);
});

test('annotations that do not parse are reported and fall back to the defaults', () => {
  const { behaviour, invalid } = parsePodBehaviour({
    metadata: { annotations: { 'kuberx.io/exit-code': '256', 'kuberx.io/run-time': 'soon' } },
    spec: { restartPolicy: 'Never' },
  });
  expect(invalid.sort()).toEqual(['kuberx.io/exit-code', 'kuberx.io/run-time']);
  expect(behaviour).toMatchObject({ runTimeMs: 1_000, exitCode: 0 });
});

test.each([
  [undefined, {}],
  ['fail', { failed: true }],
  ['recover', {}],
  ['not-ready, memory-pressure', { notReady: true, memoryPressure: true }],
  ['DISK-PRESSURE,pid-pressure', { diskPressure: true, pidPressure: true }],
])('kuberx.io/simulate=%j simulates %j', (value, expected) => {
  const { simulation, unknown } = parseNodeSimulation(
    value === undefined ? undefined : { 'kuberx.io/simulate': value },
  );
  expect(simulation).toEqual({
    failed: false,
    notReady: false,
    memoryPressure: false,
    diskPressure: false,
    pidPressure: false,
    ...expected,
  });
  expect(unknown).toEqual([]);
});

test('unknown kuberx.io/simulate words are reported', () => {
  expect(parseNodeSimulation({ 'kuberx.io/simulate': 'fail,explode' }).unknown).toEqual([
    'explode',
  ]);
});
