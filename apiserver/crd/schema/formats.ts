/**
 * The string formats a CRD schema may check (apiextensions-apiserver `supportedFormats`; every
 * other format is stripped before validation and so accepts anything). Names are normalised as
 * go-openapi/strfmt does (`date-time` = `datetime`). Each check follows the strfmt validator or
 * the Go parser it calls (net.ParseIP, net.ParseCIDR, net.ParseMAC, time.ParseDuration, RFC 3339),
 * written as regular expressions; exotic inputs those parsers accept (e.g. IPv4-mapped forms of
 * odd spellings) may differ.
 */

import { isIPv4, isIPv6, isValidCIDR } from '../../registry/index.js';

const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const isbn10 = /^(?:[0-9]{9}X|[0-9]{10})$/;
const isbn13 = /^(?:[0-9]{13})$/;
const creditCard =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const ssn = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const hexColor = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const rgbColor =
  /^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/;
const hostname =
  /^(?=.{1,255}$)([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const date = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const scalaDuration =
  /^\d+\s*(ns|nano|nanos|nanosecond|nanoseconds|us|micro|micros|microsecond|microseconds|ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|wk|wks|week|weeks)$/;
const bsonObjectId = /^[0-9a-fA-F]{24}$/;
const email = /^([^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/;
const mac =
  /^([0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\2){4}[0-9a-fA-F]{2}|[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\3){6}[0-9a-fA-F]{2}|[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\4){18}[0-9a-fA-F]{2}|[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4}){0,7})$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day <= days;
}

function isDate(s: string): boolean {
  const m = date.exec(s);
  return m !== null && validDate(m[1]!, m[2]!, m[3]!);
}

function isDateTime(s: string): boolean {
  const m = dateTime.exec(s);
  if (!m || !validDate(m[1]!, m[2]!, m[3]!)) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}

/** `url.ParseRequestURI` succeeds: an absolute URI or an absolute path. */
export function isURI(s: string): boolean {
  if (s.startsWith('/')) return true;
  try {
    new URL(s);
    return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
  } catch {
    return false;
  }
}

function isBase64(s: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0;
}

function isISBN(s: string, kind: '10' | '13' | 'any'): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (kind !== '13' && isbn10.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * Number(digits[i]);
    sum += digits[9] === 'X' ? 100 : 10 * Number(digits[9]);
    if (sum % 11 === 0) return true;
  }
  if (kind !== '10' && isbn13.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
    return (10 - (sum % 10)) % 10 === Number(digits[12]);
  }
  return false;
}

const checks: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => bsonObjectId.test(s),
  uri: isURI,
  email: (s) => email.test(s),
  hostname: (s) => hostname.test(s),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: (s) => isValidCIDR(s).length === 0,
  mac: (s) => mac.test(s),
  uuid: (s) => uuid.test(s),
  uuid3: (s) => uuid3.test(s),
  uuid4: (s) => uuid4.test(s),
  uuid5: (s) => uuid5.test(s),
  isbn: (s) => isISBN(s, 'any'),
  isbn10: (s) => isISBN(s, '10'),
  isbn13: (s) => isISBN(s, '13'),
  creditcard: (s) => creditCard.test(s.replace(/\D/g, '')),
  ssn: (s) => ssn.test(s),
  hexcolor: (s) => hexColor.test(s),
  rgbcolor: (s) => rgbColor.test(s),
  byte: isBase64,
  password: () => true,
  date: isDate,
  duration: (s) => s === '0' || goDuration.test(s) || scalaDuration.test(s),
  datetime: isDateTime,
};

/** strfmt's name normalisation: `date-time` → `datetime`. */
function normalize(format: string): string {
  return format.replace(/-/g, '').toLowerCase();
}

/** True when `format` is one a CRD schema checks (others are ignored, as upstream strips them). */
export function isSupportedFormat(format: string): boolean {
  return Object.prototype.hasOwnProperty.call(checks, normalize(format));
}

/** Whether `value` has `format`; unsupported formats accept everything. */
export function matchesFormat(format: string, value: string): boolean {
  const check = checks[normalize(format)];
  return check ? check(value) : true;
}
