import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
} from './names.js';

// Rows follow k8s.io/apimachinery/pkg/util/validation/validation_test.go.
describe('IsDNS1123Label', () => {
  test.each([
    'a',
    'ab',
    'abc',
    'a1',
    'a-1',
    'a--1--2--b',
    '0',
    '01',
    '012',
    '1a',
    '1-a',
    'a'.repeat(63),
  ])('%s is valid', (v) => expect(isDNS1123Label(v)).toEqual([]));
  test.each([
    '',
    'A',
    'ABC',
    'aBc',
    'A1',
    'A-1',
    '1-A',
    '-',
    'a-',
    '-a',
    '1-',
    '-1',
    '_',
    'a_',
    'a.b',
    'a'.repeat(64),
  ])('%j is invalid', (v) => expect(isDNS1123Label(v).length).toBeGreaterThan(0));
  test('the message is upstream wording with examples and the regex', () => {
    expect(isDNS1123Label('Bad')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
  test('a 64-character label reports the length limit', () => {
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('IsDNS1123Subdomain', () => {
  test.each(['a', 'a.b', 'a-b.c-d', '1.2.3', 'example.com', 'a'.repeat(253)])('%s is valid', (v) =>
    expect(isDNS1123Subdomain(v)).toEqual([]),
  );
  test.each(['', 'A', 'a..b', '.a', 'a.', 'a_b', 'a'.repeat(254)])('%j is invalid', (v) =>
    expect(isDNS1123Subdomain(v).length).toBeGreaterThan(0),
  );
  test('the message names the subdomain rule', () => {
    expect(isDNS1123Subdomain('Web_1')[0]).toBe(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  });
});

describe('IsDNS1035Label', () => {
  test.each(['a', 'ab', 'a1', 'a-1'])('%s is valid', (v) => expect(isDNS1035Label(v)).toEqual([]));
  test.each(['1a', '0', 'a-', 'A'])('%j is invalid (must start with a letter)', (v) =>
    expect(isDNS1035Label(v)[0]).toMatch(/^a DNS-1035 label must consist of/),
  );
});

describe('IsQualifiedName', () => {
  test.each([
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'example.com/Name',
    'a'.repeat(63),
  ])('%s is valid', (v) => expect(isQualifiedName(v)).toEqual([]));
  test.each([
    ['nospecialchars%^=@', 'name part must consist of'],
    ['cantendwithadash-', 'name part must consist of'],
    ['/simple', 'prefix part must be non-empty'],
    ['Example.com/simple', 'prefix part a lowercase RFC 1123 subdomain'],
    ['example.com/', 'name part must be non-empty'],
    ['a/b/c', 'a qualified name must consist of'],
    ['a'.repeat(64), 'name part must be no more than 63 characters'],
  ])('%j is invalid: %s…', (v, start) => {
    expect(isQualifiedName(v).some((m) => m.startsWith(start))).toBe(true);
  });
});

describe('IsValidLabelValue', () => {
  test.each([
    '',
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    'end-with-num-1',
    'a.b_c',
    'a'.repeat(63),
  ])('%j is valid', (v) => expect(isValidLabelValue(v)).toEqual([]));
  test.each([
    'nospecialchars%^=@',
    'Tama-nui-te-rā.is.Māori.sun',
    '\\backslashes',
    '-dash-start',
    'a'.repeat(64),
  ])('%j is invalid', (v) => expect(isValidLabelValue(v).length).toBeGreaterThan(0));
});

describe('ports, keys, IPs, CIDRs, path segments', () => {
  test.each([
    [1, true],
    [65535, true],
    [0, false],
    [65536, false],
    [-1, false],
  ])('port number %d valid=%s', (p, ok) => expect(isValidPortNum(p).length === 0).toBe(ok));
  test.each([
    ['http', []],
    ['a-b', []],
    ['toolongportname12', ['must be no more than 15 characters']],
    ['1234', ['must contain at least one letter (a-z)']],
    ['a--b', ['must not contain consecutive hyphens']],
    ['-ab', ['must not begin or end with a hyphen']],
    [
      'HTTP',
      [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
      ],
    ],
  ])('port name %j gives %j', (name, msgs) => expect(isValidPortName(name)).toEqual(msgs));
  test.each([
    ['key.name', 0],
    ['KEY_NAME', 0],
    ['.', 1],
    ['..', 1],
    ['..a', 1],
    ['a/b', 1],
  ])('config key %j has %d errors', (k, n) => expect(isConfigMapKey(k as string).length).toBe(n));
  test.each(['10.9.8.7', '0.0.0.0', '2001:db8::ffff', '::1', '::', '::ffff:1.2.3.4'])(
    '%s is an IP',
    (ip) => expect(isValidIP(ip)).toEqual([]),
  );
  test.each(['', '1.2.3', '256.1.1.1', '01.2.3.4', 'a.b.c.d', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0'])(
    '%j is not an IP',
    (ip) =>
      expect(isValidIP(ip)).toEqual([
        'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ]),
  );
  test.each([
    ['10.0.0.0/8', true],
    ['2001:db8::/64', true],
    ['10.0.0.0', false],
    ['10.0.0.0/33', false],
  ])('CIDR %s valid=%s', (c, ok) => expect(isValidCIDR(c).length === 0).toBe(ok));
  test.each([
    ['a', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b', ["may not contain '/'"]],
    ['a%b', ["may not contain '%'"]],
  ])('path segment %j gives %j', (n, msgs) => expect(isValidPathSegmentName(n)).toEqual(msgs));
});
