/** The JSON text of metav1.Time, MicroTime and Duration, as Go formats and parses it. */
import { formatDuration, formatMicroTime, formatTime, parseDuration, parseTime } from './time.js';

describe('metav1.Time and MicroTime text', () => {
  test.each([
    { seconds: 0, text: '1970-01-01T00:00:00Z', rule: 'the epoch' },
    { seconds: 1700000000, text: '2023-11-14T22:13:20Z', rule: 'RFC 3339 in UTC' },
    { seconds: -62135596800, text: '0001-01-01T00:00:00Z', rule: "Go's zero time" },
  ])('formatTime: $rule', ({ seconds, text }) => {
    expect(formatTime(seconds)).toBe(text);
  });

  test.each([
    { nanos: 0, text: '2023-11-14T22:13:20.000000Z' },
    { nanos: 123456789, text: '2023-11-14T22:13:20.123456Z' },
    { nanos: 999, text: '2023-11-14T22:13:20.000000Z' },
  ])('formatMicroTime keeps six fraction digits, truncated ($nanos ns)', ({ nanos, text }) => {
    expect(formatMicroTime(1700000000, nanos)).toBe(text);
  });

  test.each([
    { text: '2023-11-14T22:13:20Z', seconds: 1700000000, nanos: 0 },
    { text: '2023-11-14T23:13:20+01:00', seconds: 1700000000, nanos: 0 },
    { text: '2023-11-14T22:13:20.5Z', seconds: 1700000000, nanos: 500000000 },
    { text: '2023-11-14T22:13:20.123456z', seconds: 1700000000, nanos: 123456000 },
  ])('parseTime reads $text', ({ text, seconds, nanos }) => {
    expect(parseTime(text)).toEqual({ seconds, nanos });
  });

  test.each(['2023-11-14', '2023-11-14 22:13:20Z', 'yesterday', '2023-13-45T99:00:00Z'])(
    'parseTime refuses %s',
    (text) => {
      expect(() => parseTime(text)).toThrow(/not RFC 3339/);
    },
  );
});

describe('metav1.Duration text (Go time.Duration String and ParseDuration)', () => {
  test.each([
    { ns: 0n, text: '0s' },
    { ns: 1n, text: '1ns' },
    { ns: 1500n, text: '1.5µs' },
    { ns: 1_500_000n, text: '1.5ms' },
    { ns: 1_000_000_000n, text: '1s' },
    { ns: 90_000_000_000n, text: '1m30s' },
    { ns: 3_600_000_000_000n, text: '1h0m0s' },
    { ns: 3_723_500_000_000n, text: '1h2m3.5s' },
    { ns: -5_000_000_000n, text: '-5s' },
  ])('$ns ns is "$text"', ({ ns, text }) => {
    expect(formatDuration(ns)).toBe(text);
    expect(parseDuration(text)).toBe(ns);
  });

  test.each([
    { text: '300ms', ns: 300_000_000n },
    { text: '1.5h', ns: 5_400_000_000_000n },
    { text: '2h45m', ns: 9_900_000_000_000n },
    { text: '+10us', ns: 10_000n },
    { text: '0', ns: 0n },
  ])('parses "$text"', ({ text, ns }) => {
    expect(parseDuration(text)).toBe(ns);
  });

  test.each(['', '5', 'h', '1x', '-'])('refuses "%s" as time.ParseDuration does', (text) => {
    expect(() => parseDuration(text)).toThrow(`time: invalid duration "${text}"`);
  });
});
