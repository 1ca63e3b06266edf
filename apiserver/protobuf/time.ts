/**
 * The JSON text of the apimachinery time types, as Go writes and reads it:
 *
 * - `metav1.Time`: RFC 3339 in UTC to the second (`2006-01-02T15:04:05Z`); its protobuf form
 *   keeps whole seconds only (upstream drops `nanos` both ways).
 * - `metav1.MicroTime`: RFC 3339 with six fraction digits (`2006-01-02T15:04:05.000000Z`).
 * - `metav1.Duration`: Go's `time.Duration` text (`1h2m3.5s`, `300ms`, `0s`); nanoseconds on
 *   the wire.
 *
 * Parsers accept any RFC 3339 offset and fraction and throw an `Error` naming the bad text.
 */

const rfc3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** Seconds and nanoseconds since the Unix epoch of an RFC 3339 text. */
export function parseTime(text: string): { seconds: number; nanos: number } {
  const m = rfc3339.exec(text);
  const ms = m ? Date.parse(`${m[1]}${m[3]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new Error(`parsing time "${text}": not RFC 3339`);
  return { seconds: Math.floor(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** `metav1.Time` JSON text of a Unix second. */
export function formatTime(seconds: number): string {
  return isoSeconds(seconds) + 'Z';
}

/** `metav1.MicroTime` JSON text (the fraction truncated to microseconds, as Go's Format). */
export function formatMicroTime(seconds: number, nanos: number): string {
  const micros = Math.floor(nanos / 1000);
  return `${isoSeconds(seconds)}.${String(micros).padStart(6, '0')}Z`;
}

function isoSeconds(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.slice(0, iso.indexOf('.'));
}

const units: ReadonlyArray<[string, bigint]> = [
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n],
  ['μs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
];

/** Nanoseconds of a Go duration text (`time.ParseDuration`). */
export function parseDuration(text: string): bigint {
  let s = text;
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration "${text}"`);
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      throw new Error(`time: invalid duration "${text}"`);
    }
    const unit = units.find(([u]) => u === m[3])![1];
    const whole = BigInt(m[1] || '0') * unit;
    const frac = m[2] ? (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length) : 0n;
    total += whole + frac;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Go's `time.Duration.String()` of a number of nanoseconds. */
export function formatDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fraction(u, 3)}µs`;
    else out = `${fraction(u, 6)}ms`;
  } else {
    out = `${fraction(u % 60_000_000_000n, 9)}s`;
    u /= 60_000_000_000n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** `v / 10^prec` with the fraction's trailing zeros (and a bare point) left out. */
function fraction(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return frac ? `${v / scale}.${frac}` : `${v / scale}`;
}
