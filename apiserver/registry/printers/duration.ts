/**
 * Human-readable durations as kubectl shows them (k8s.io/apimachinery/pkg/util/duration).
 * Both functions take milliseconds and tolerate up to 2 s of clock skew ("-1s" shows as `0s`);
 * beyond that a negative duration is `<invalid>`.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** `duration.HumanDuration`: ~2–3 significant figures, e.g. `5s`, `3m20s`, `10m`, `3h4m`, `2d5h`, `3y`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** `duration.ShortHumanDuration`: one unit only, e.g. `5s`, `10m`, `3h`, `2d`, `3y`. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * `translateTimestampSince` of kubectl's printers: the age of an RFC 3339 timestamp at `now`
 * (ms since the epoch), `<unknown>` when the timestamp is absent or unparsable.
 */
export function translateTimestampSince(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

/** `translateTimestampUntil`: time remaining until the timestamp. */
export function translateTimestampUntil(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(t - now);
}
