/**
 * Cron schedule checking as CronJob validation does it (`cron.ParseStandard` of
 * github.com/robfig/cron/v3): five fields (minute, hour, day of month, month, day of week) or a
 * descriptor (`@hourly`, `@every 1h`, …), an optional `TZ=`/`CRON_TZ=` prefix. Returns the parse
 * error in the library's words, or '' when the schedule parses.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const dows: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: dows },
];
const descriptors = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

/** '' when `spec` parses as a standard cron schedule, else robfig/cron's error text. */
export function parseCronError(spec: string): string {
  let s = spec.trim();
  if (s.length === 0) return 'empty spec string';
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    const tz = s.slice(s.indexOf('=') + 1, i < 0 ? undefined : i);
    if (!isTimeZone(tz)) return `provided bad location ${tz}: unknown time zone ${tz}`;
    s = i < 0 ? '' : s.slice(i).trim();
  }
  if (s.startsWith('@')) {
    if (descriptors.has(s)) return '';
    if (s.startsWith('@every ')) {
      return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s.slice(7).trim())
        ? ''
        : `failed to parse duration ${s}: time: invalid duration "${s.slice(7).trim()}"`;
    }
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i].split(',')) {
      const err = parseRange(expr, fieldBounds[i]);
      if (err) return err;
    }
  }
  return '';
}

function parseRange(expr: string, b: Bounds): string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
  if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    const s = parseValue(lowAndHigh[0], b);
    if (typeof s === 'string') return s;
    start = s;
    end = s;
    if (lowAndHigh.length === 2) {
      const e = parseValue(lowAndHigh[1], b);
      if (typeof e === 'string') return e;
      end = e;
    }
  }
  if (rangeAndStep.length === 2) {
    const step = Number(rangeAndStep[1]);
    if (!/^\d+$/.test(rangeAndStep[1]))
      return `failed to parse int from ${rangeAndStep[1]}: strconv.Atoi: parsing "${rangeAndStep[1]}": invalid syntax`;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
    if (lowAndHigh.length === 1 && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') end = b.max;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return '';
}

function parseValue(v: string, b: Bounds): number | string {
  const named = b.names?.[v.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^-?\d+$/.test(v))
    return `failed to parse int from ${v}: strconv.Atoi: parsing "${v}": invalid syntax`;
  const n = Number(v);
  return n < 0 ? `negative number (${n}) not allowed: ${v}` : n;
}

/** True when `tz` is an IANA time zone name the runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
