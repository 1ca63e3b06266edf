/**
 * The cron parser and `Next` (rows in the spirit of robfig/cron's `parser_test.go` and
 * `spec_test.go`, and Kubernetes' CronJob validation messages), with time zones.
 */
import { parseStandard } from './cron.js';
import { rfc3339In } from './timezone.js';

const utc = (text: string) => Date.parse(text);
const nextOf = (spec: string, from: string, zone = 'UTC') =>
  rfc3339In(parseStandard(spec, zone).next(utc(from)), zone);

describe('next activation', () => {
  test.each([
    ['* * * * *', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
    ['*/1 * * * *', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z'],
    ['*/15 * * * *', '2026-01-01T00:16:00Z', '2026-01-01T00:30:00Z'],
    ['5 * * * *', '2026-01-01T00:05:00Z', '2026-01-01T01:05:00Z'],
    ['0 0 * * *', '2026-01-31T12:00:00Z', '2026-02-01T00:00:00Z'],
    ['@hourly', '2026-01-01T10:30:00Z', '2026-01-01T11:00:00Z'],
    ['@daily', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z'],
    ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z'],
    ['@monthly', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00Z'],
    ['@yearly', '2026-01-15T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['0 9 * * MON-FRI', '2026-01-02T10:00:00Z', '2026-01-05T09:00:00Z'],
    ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['30 6-16/4 * * 1-5', '2026-01-05T10:31:00Z', '2026-01-05T14:30:00Z'],
    ['0 0 1,15 * *', '2026-01-02T00:00:00Z', '2026-01-15T00:00:00Z'],
    ['0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
    ['0 0 1 JAN,jul ?', '2026-02-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['@every 90s', '2026-01-01T00:00:10Z', '2026-01-01T00:01:40Z'],
    ['@every 1m59.9s', '2026-01-01T00:00:00Z', '2026-01-01T00:01:59Z'],
    ['@every 300ms', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'],
  ])('%p after %p is %p', (spec, from, expected) => {
    expect(nextOf(spec, from)).toBe(expected);
  });

  test('a day of month and a day of week restricted together run on either', () => {
    // the 13th, or any Friday
    const runs: string[] = [];
    let t = utc('2026-02-01T00:00:00Z');
    const s = parseStandard('0 0 13 * FRI', 'UTC');
    for (let i = 0; i < 5; i++) runs.push(new Date((t = s.next(t))).toISOString().slice(0, 10));
    expect(runs).toEqual(['2026-02-06', '2026-02-13', '2026-02-20', '2026-02-27', '2026-03-06']);
  });

  test('a time zone shifts the wall clock, DST included', () => {
    expect(nextOf('0 9 * * *', '2026-01-01T00:00:00Z', 'America/New_York')).toBe(
      '2026-01-01T09:00:00-05:00',
    );
    expect(nextOf('0 9 * * *', '2026-07-01T00:00:00Z', 'America/New_York')).toBe(
      '2026-07-01T09:00:00-04:00',
    );
    // 2026-03-08: New York springs forward at 02:00; the next 03:00 is two hours after 00:00 EST
    expect(nextOf('0 3 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe(
      '2026-03-08T03:00:00-04:00',
    );
    expect(nextOf('TZ=Asia/Tokyo 0 9 * * *', '2025-12-31T20:00:00Z', 'Asia/Tokyo')).toBe(
      '2026-01-01T09:00:00+09:00',
    );
  });
});

describe('parse errors', () => {
  test.each([
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@every 5x', 'failed to parse duration @every 5x: time: invalid duration "5x"'],
    ['', 'empty spec string'],
    ['TZ=Mars/Base 0 0 * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base'],
  ])('%p: %p', (spec, message) => {
    expect(() => parseStandard(spec, 'UTC')).toThrow(message);
  });
});
