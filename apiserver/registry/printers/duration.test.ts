import { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('duration.HumanDuration', () => {
  // Rows from k8s.io/apimachinery/pkg/util/duration/duration_test.go (TestHumanDuration).
  test.each([
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [1 * s, '1s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 10 * s, '2m10s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 4 * m, '3h4m'],
    [8 * h, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * 365 * d, '2y'],
    [2 * 365 * d + 20 * d, '2y20d'],
    [8 * 365 * d, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  test.each([
    [-2 * s, '<invalid>'],
    [30 * s, '30s'],
    [90 * s, '1m'],
    [5 * h + 30 * m, '5h'],
    [3 * d, '3d'],
    [400 * d, '1y'],
  ])('ShortHumanDuration of %d ms is %s', (ms, text) => {
    expect(shortHumanDuration(ms)).toBe(text);
  });

  test('translateTimestampSince shows <unknown> for a missing timestamp', () => {
    expect(translateTimestampSince(undefined, 0)).toBe('<unknown>');
    expect(
      translateTimestampSince('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:05:00Z')),
    ).toBe('5m');
  });
});
