/**
 * Go's `time.ParseDuration` in milliseconds: a signed sequence of decimal numbers with units
 * (`300ms`, `-1.5h`, `2h45m`; units ns, us, µs, μs, ms, s, m, h), or `0`. Used for request
 * `?timeout=` values and cron `@every` descriptors.
 */

const units: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The duration `text` stands for, in ms; undefined when it is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? sign * total : undefined;
}
