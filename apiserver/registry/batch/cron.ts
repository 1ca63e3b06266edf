/**
 * Cron schedule checking as CronJob validation does it (`cron.ParseStandard` of
 * github.com/robfig/cron/v3), with the parser the CronJob controller schedules with
 * (`common/cron`): five fields (minute, hour, day of month, month, day of week) or a descriptor
 * (`@hourly`, `@every 1h`, …), an optional `TZ=`/`CRON_TZ=` prefix.
 */
import { checkTimeZone, parseStandard } from '../../../common/index.js';

/** '' when `spec` parses as a standard cron schedule, else robfig/cron's error text. */
export function parseCronError(spec: string): string {
  try {
    parseStandard(spec, 'UTC');
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

/** True when `tz` is an IANA time zone name the runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    checkTimeZone(tz);
    return true;
  } catch {
    return false;
  }
}
