/**
 * Wall-clock arithmetic in an IANA time zone (what Go's `time.Date`, `AddDate` and `In` do for
 * robfig/cron), on top of `Intl.DateTimeFormat`. Instants are milliseconds since the epoch.
 *
 * A wall time that does not exist (skipped by a DST change) maps to an instant next to the gap;
 * an ambiguous one (repeated by a DST change) maps to its first occurrence.
 */

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 (Sunday) – 6. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Go's `time.LoadLocation` check: throws `unknown time zone X` for a zone Intl does not know. */
export function checkTimeZone(zone: string): void {
  formatter(zone);
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch {
      throw new Error(`unknown time zone ${zone}`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock of `ms` in `zone`. */
export function wallClock(ms: number, zone: string): WallClock {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays[parts.weekday!] ?? 0,
  };
}

/** Offset of `zone` from UTC at instant `ms`, in ms (whole seconds). */
export function zoneOffset(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const w = wallClock(whole, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

/** Go's `time.Date` in `zone`: out-of-range fields are normalised (month 13 is next January). */
export function fromWallClock(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  zone: string,
): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (zone === 'UTC') return naive;
  const first = naive - zoneOffset(naive, zone);
  const second2 = naive - zoneOffset(first, zone);
  if (second2 === first) return first;
  const third = naive - zoneOffset(second2, zone);
  return Math.min(third, second2);
}

/** RFC 3339 of `ms` in `zone` with its offset (`2026-03-08T03:00:00-07:00`; `Z` in UTC). */
export function rfc3339In(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  const offsetMin = Math.round(zoneOffset(ms, zone) / 60_000);
  const pad = (n: number, l = 2) => String(n).padStart(l, '0');
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (offsetMin === 0) return `${date}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${date}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The process's own zone (what `time.Local` is for a Go program). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
