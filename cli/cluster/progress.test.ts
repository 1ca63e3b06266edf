import { progressReporter } from './progress.js';

test('off a terminal, progress is a line at each tenth', () => {
  const lines: string[] = [];
  const report = progressReporter({ write: (s) => lines.push(s) }, 'registering nodes', 100);
  for (let i = 1; i <= 100; i++) report(i);
  expect(lines).toHaveLength(11);
  expect(lines[0]).toBe('registering nodes: 1/100\n');
  expect(lines.at(-1)).toBe('registering nodes: 100/100\n');
});

test('on a terminal, one bar is redrawn at most every 100 ms and ends with a newline', () => {
  let now = 0;
  const out: string[] = [];
  const report = progressReporter(
    { write: (s) => out.push(s), isTTY: true },
    'nodes',
    50,
    () => now,
  );
  report(1);
  now = 50;
  report(2);
  now = 150;
  report(25);
  report(50);
  expect(out).toEqual([
    '\rnodes [#.............................] 1/50',
    '\rnodes [###############...............] 25/50',
    '\rnodes [##############################] 50/50\n',
  ]);
});

test('small counts show no progress', () => {
  const out: string[] = [];
  progressReporter({ write: (s) => out.push(s) }, 'nodes', 3)(3);
  expect(out).toEqual([]);
});
