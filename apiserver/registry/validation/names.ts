/**
 * String-format checks from k8s.io/apimachinery/pkg/util/validation/validation.go. Each returns
 * the list of upstream error messages (empty when valid), to be wrapped in `invalid(...)` by the
 * caller with the field path, exactly as upstream's callers do.
 */

/** `validation.MaxLenError`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `validation.RegexError`: message plus examples and the regular expression. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** `validation.InclusiveRangeError`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** `validation.EmptyError`. */
export function emptyError(): string {
  return 'must be non-empty';
}

/**
 * A format check built as upstream builds its `Is*` functions: an optional length cap
 * (`must be no more than N characters`) and a regular expression whose failure is reported with
 * {@link regexError}.
 */
function formatCheck(opts: {
  fmt: string;
  msg: string;
  maxLen?: number;
  examples: string[];
}): (value: string) => string[] {
  const re = anchored(opts.fmt);
  return (value) => {
    const errs: string[] = [];
    if (opts.maxLen !== undefined && value.length > opts.maxLen)
      errs.push(maxLenError(opts.maxLen));
    if (!re.test(value)) errs.push(regexError(opts.msg, opts.fmt, ...opts.examples));
    return errs;
  };
}

const qualifiedNameCharFmt = '[A-Za-z0-9]';
const qualifiedNameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qualifiedNameCharFmt}${qualifiedNameExtCharFmt}*)?${qualifiedNameCharFmt}`;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRe = anchored(qualifiedNameFmt);

/**
 * `IsQualifiedName`: an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63
 * characters (label keys, annotation keys, finalizers, condition types).
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) {
      errs.push('prefix part ' + emptyError());
    } else {
      for (const msg of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + msg);
    }
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) {
    errs.push('name part ' + emptyError());
  } else if (name.length > qualifiedNameMaxLength) {
    errs.push('name part ' + maxLenError(qualifiedNameMaxLength));
  }
  if (!qualifiedNameRe.test(name)) {
    errs.push(
      'name part ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'),
    );
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** `validation.LabelValueMaxLength`. */
export const labelValueMaxLength = 63;

/** `IsValidLabelValue`. */
export const isValidLabelValue = formatCheck({
  fmt: labelValueFmt,
  msg: labelValueErrMsg,
  maxLen: labelValueMaxLength,
  examples: ['MyValue', 'my_value', '12345'],
});

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
/** `validation.DNS1123LabelMaxLength`. */
export const dns1123LabelMaxLength = 63;

/** `IsDNS1123Label`: namespaces, container names, port names of services, … */
export const isDNS1123Label = formatCheck({
  fmt: dns1123LabelFmt,
  msg: dns1123LabelErrMsg,
  maxLen: dns1123LabelMaxLength,
  examples: ['my-name', '123-abc'],
});

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
/** `validation.DNS1123SubdomainMaxLength`. */
export const dns1123SubdomainMaxLength = 253;

/** `IsDNS1123Subdomain`: most object names. */
export const isDNS1123Subdomain = formatCheck({
  fmt: dns1123SubdomainFmt,
  msg: dns1123SubdomainErrorMsg,
  maxLen: dns1123SubdomainMaxLength,
  examples: ['example.com'],
});

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
/** `validation.DNS1035LabelMaxLength`. */
export const dns1035LabelMaxLength = 63;

/** `IsDNS1035Label`: service names, API version names. */
export const isDNS1035Label = formatCheck({
  fmt: dns1035LabelFmt,
  msg: dns1035LabelErrMsg,
  maxLen: dns1035LabelMaxLength,
  examples: ['my-name', 'abc-123'],
});

const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** `IsWildcardDNS1123Subdomain` (ingress hosts such as `*.example.com`). */
export const isWildcardDNS1123Subdomain = formatCheck({
  fmt: wildcardDNS1123SubdomainFmt,
  msg: wildcardDNS1123SubdomainErrMsg,
  maxLen: dns1123SubdomainMaxLength,
  examples: ['*.example.com'],
});

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const identifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

/** `IsCIdentifier`. */
export function isCIdentifier(value: string): string[] {
  return anchored(cIdentifierFmt).test(value)
    ? []
    : [regexError(identifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

/** `IsValidPortNum`. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? []
    : [inclusiveRangeError(1, 65535)];
}

/** `IsInRange`. */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

/** `IsValidPortName` (IANA_SVC_NAME): at most 15 characters, letters/digits/hyphens, ≥ 1 letter. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) {
    errs.push('must not begin or end with a hyphen');
  }
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** `IsConfigMapKey`: keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > dns1123SubdomainMaxLength) errs.push(maxLenError(dns1123SubdomainMaxLength));
  if (!anchored(configMapKeyFmt).test(value)) {
    errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameFmtErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

/** `IsEnvVarName`. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!anchored(envVarNameFmt).test(value)) {
    errs.push(
      regexError(envVarNameFmtErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'),
    );
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** `IsValidIP` (IPv4 dotted quad without leading zeros, or IPv6). */
export function isValidIP(value: string): string[] {
  return isIPv4(value) || isIPv6(value)
    ? []
    : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** True for a dotted-quad IPv4 address. */
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return (
    parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
  );
}

/** True for an IPv6 address (RFC 4291 text forms, with an optional trailing IPv4 part). */
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || value.includes('%')) return false;
  let v = value;
  let groupsNeeded = 8;
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    v = v.slice(0, lastColon + 1) + '0:0';
  }
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] | null => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : null;
  };
  if (halves.length === 2) {
    const a = groups(halves[0]);
    const b = groups(halves[1]);
    return a !== null && b !== null && a.length + b.length < groupsNeeded;
  }
  const all = groups(v);
  groupsNeeded = 8;
  return all !== null && all.length === groupsNeeded;
}

/** `IsValidCIDR`-style check for `a.b.c.d/n` or `v6/n`. */
export function isValidCIDR(value: string): string[] {
  const [ip, bits, ...rest] = value.split('/');
  const max = isIPv4(ip ?? '') ? 32 : isIPv6(ip ?? '') ? 128 : -1;
  const n = Number(bits);
  if (rest.length || max < 0 || !/^[0-9]+$/.test(bits ?? '') || n > max) {
    return ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  }
  return [];
}

/** `path.IsValidPathSegmentName`: names that are used as one URL path segment (RBAC, PVs). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  }
  return errs;
}

function anchored(fmt: string): RegExp {
  return new RegExp(`^(?:${fmt})$`);
}
