/**
 * The standard cron parser kube-controller-manager uses (`robfig/cron/v3` `ParseStandard`):
 * five fields — minute, hour, day of month, month, day of week — each `*`, `?`, a value, a range
 * `a-b`, a step `/n` on any of them, and comma lists; months `JAN`–`DEC` and days `SUN`–`SAT` by
 * name (any case). Descriptors: `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily`
 * (`@midnight`), `@hourly`, `@every <duration>`. A `TZ=zone` or `CRON_TZ=zone` prefix sets the
 * zone (Kubernetes validation rejects it in `spec.schedule`; `spec.timeZone` is the supported way).
 *
 * Day matching follows cron: when both day of month and day of week are restricted (neither is
 * `*` or `?`), a day matching either runs; otherwise both must match. Errors carry robfig's
 * wording.
 */
import { checkTimeZone, fromWallClock, wallClock } from './timezone.js';
import { parseGoDuration } from '../duration.js';

export interface Schedule {
  /** The first activation strictly after `ms` (0 when none within five years). */
  next(ms: number): number;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const monthNames: Record<string, number> = {
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
const dowNames: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames },
  { min: 0, max: 6, names: dowNames },
];

const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A field as a set of allowed values, and whether it was `*`/`?` (for day matching). */
interface Field {
  values: Set<number>;
  star: boolean;
}

function parseInt10(text: string): number {
  if (!/^-?\d+$/.test(text))
    throw new Error(
      `failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`,
    );
  const n = Number(text);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${text}`);
  return n;
}

function parseIntOrName(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  return named !== undefined ? named : parseInt10(text);
}

/** `getRange`. */
function parseRange(expr: string, b: Bounds, field: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, b.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]!);
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`);
  }
  if (start < b.min)
    throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end)
    throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) field.values.add(v);
  if (star) field.star = true;
}

function parseField(text: string, b: Bounds): Field {
  const field: Field = { values: new Set(), star: false };
  for (const expr of text.split(',')) parseRange(expr, b, field);
  return field;
}

/** `time.ParseDuration` for `@every` (`1h30m`, `90s`, `1.5h`), with robfig's error text. */
function parseDuration(descriptor: string, text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined)
    throw new Error(`failed to parse duration ${descriptor}: time: invalid duration "${text}"`);
  return ms;
}

class SpecSchedule implements Schedule {
  constructor(
    private readonly f: Field[],
    private readonly zone: string,
  ) {}

  private dayMatches(w: { day: number; weekday: number }): boolean {
    const dom = this.f[2]!;
    const dow = this.f[4]!;
    const domMatch = dom.values.has(w.day);
    const dowMatch = dow.values.has(w.weekday);
    return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  }

  /** robfig's `SpecSchedule.Next`, field by field in the schedule's zone. */
  next(ms: number): number {
    const zone = this.zone;
    let t = Math.floor(ms / 1000) * 1000 + 1000;
    let added = false;
    const yearLimit = wallClock(t, zone).year + 5;
    const [minutes, hours, , months] = this.f;
    wrap: for (;;) {
      let w = wallClock(t, zone);
      if (w.year > yearLimit) return 0;
      while (!months!.values.has(w.month)) {
        if (!added) {
          added = true;
          t = fromWallClock(w.year, w.month, 1, 0, 0, 0, zone);
        }
        const cur = wallClock(t, zone);
        t = fromWallClock(cur.year, cur.month + 1, cur.day, cur.hour, cur.minute, cur.second, zone);
        w = wallClock(t, zone);
        if (w.month === 1) continue wrap;
      }
      while (!this.dayMatches(w)) {
        if (!added) {
          added = true;
          t = fromWallClock(w.year, w.month, w.day, 0, 0, 0, zone);
        }
        const cur = wallClock(t, zone);
        t = fromWallClock(cur.year, cur.month, cur.day + 1, cur.hour, cur.minute, cur.second, zone);
        w = wallClock(t, zone);
        if (w.hour !== 0) {
          t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000;
          w = wallClock(t, zone);
        }
        if (w.day === 1) continue wrap;
      }
      while (!hours!.values.has(w.hour)) {
        if (!added) {
          added = true;
          t = fromWallClock(w.year, w.month, w.day, w.hour, 0, 0, zone);
        }
        t += 3_600_000;
        w = wallClock(t, zone);
        if (w.hour === 0) continue wrap;
      }
      while (!minutes!.values.has(w.minute)) {
        if (!added) {
          added = true;
          t = Math.floor(t / 60_000) * 60_000;
        }
        t += 60_000;
        w = wallClock(t, zone);
        if (w.minute === 0) continue wrap;
      }
      while (w.second !== 0) {
        if (!added) {
          added = true;
          t = Math.floor(t / 1000) * 1000;
        }
        t += 1000;
        w = wallClock(t, zone);
        if (w.second === 0) continue wrap;
      }
      return t;
    }
  }
}

/** `@every d`: runs every d (at least 1 s, whole seconds) after the given time. */
class ConstantDelaySchedule implements Schedule {
  constructor(private readonly delayMs: number) {}

  next(ms: number): number {
    return Math.floor(ms / 1000) * 1000 + this.delayMs;
  }
}

/** `cron.ParseStandard` with `defaultZone` standing for `time.Local`. */
export function parseStandard(spec: string, defaultZone: string): Schedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let text = spec.trim();
  let zone = defaultZone;
  const tz = /^(?:CRON_TZ|TZ)=(\S*)/.exec(text);
  if (tz) {
    try {
      checkTimeZone(tz[1]!);
    } catch (err) {
      throw new Error(`provided bad location ${tz[1]}: ${(err as Error).message}`);
    }
    zone = tz[1]!;
    text = text.slice(tz[0].length).trim();
  }
  if (text.startsWith('@')) {
    if (text.startsWith('@every ')) {
      const d = parseDuration(text, text.slice('@every '.length).trim());
      return new ConstantDelaySchedule(d < 1000 ? 1000 : Math.floor(d / 1000) * 1000);
    }
    const expanded = descriptors[text.toLowerCase()];
    if (!expanded) throw new Error(`unrecognized descriptor: ${text}`);
    text = expanded;
  }
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5)
    throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new SpecSchedule(
    fields.map((f, i) => parseField(f, fieldBounds[i]!)),
    zone,
  );
}
