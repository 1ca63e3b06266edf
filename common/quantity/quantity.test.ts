import {
  Quantity,
  canonicalQuantity,
  errFormatWrong,
  errNumeric,
  errSuffix,
  parseQuantity,
  tryParseQuantity,
} from './quantity.js';

describe('resource.Quantity', () => {
  // Rows from k8s.io/apimachinery/pkg/api/resource/quantity_test.go (TestQuantityParse / canonical forms).
  test.each([
    ['0', '0'],
    ['0n', '0'],
    ['1', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['0.1', '100m'],
    ['1.5', '1500m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1Ki', '1Ki'],
    ['1024', '1024'],
    ['1.5Gi', '1536Mi'],
    ['1536Mi', '1536Mi'],
    ['1048576Ki', '1Gi'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1E6', '1e6'],
    ['1.5e3', '1500'],
    ['12e2', '1200'],
    ['100k', '100k'],
    ['1M', '1M'],
    ['2G', '2G'],
    ['1T', '1T'],
    ['1P', '1P'],
    ['1E', '1E'],
    ['-1', '-1'],
    ['-100m', '-100m'],
    ['+5', '5'],
    ['.5', '500m'],
    ['5.', '5'],
    ['0.0000000001', '1n'],
    ['1n', '1n'],
    ['1u', '1u'],
    ['1000u', '1m'],
    ['1.1', '1100m'],
    ['0.0001', '100u'],
    ['1e-3', '1e-3'],
    ['100e-3', '100e-3'],
    ['0.001e3', '1'],
    ['-0', '0'],
    ['1.5Ki', '1536'],
    ['12Mi', '12Mi'],
    ['1023Ki', '1023Ki'],
    ['1e18', '1e18'],
    ['1000E', '1000E'],
  ])('%s has the canonical form %s', (input, canonical) => {
    expect(canonicalQuantity(input)).toBe(canonical);
  });

  test.each([
    ['', errFormatWrong],
    ['abc', errFormatWrong],
    ['1Q', errFormatWrong],
    ['1e', errSuffix],
    ['1KiB', errFormatWrong],
    ['.', errNumeric],
    ['1 Gi', errFormatWrong],
    ['5i', errSuffix],
  ])('parsing %j fails with the upstream message', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(message);
    expect(tryParseQuantity(input)).toBe(message);
  });

  test('comparison is exact across formats: 1Gi > 1G and 1000m == 1', () => {
    expect(parseQuantity('1Gi').cmp(parseQuantity('1G'))).toBe(1);
    expect(parseQuantity('1000m').cmp(parseQuantity('1'))).toBe(0);
    expect(parseQuantity('999m').cmp(parseQuantity('1'))).toBe(-1);
  });

  test('arithmetic keeps the receiver format and is exact', () => {
    const sum = parseQuantity('1Gi').add(parseQuantity('512Mi'));
    expect(sum.toString()).toBe('1536Mi');
    expect(parseQuantity('1').sub(parseQuantity('250m')).toString()).toBe('750m');
    expect(parseQuantity('100m').mul(3).toString()).toBe('300m');
  });

  test('value() and milliValue() round up as upstream does', () => {
    expect(parseQuantity('1500m').value()).toBe(2n);
    expect(parseQuantity('1.5').milliValue()).toBe(1500n);
    expect(parseQuantity('1n').milliValue()).toBe(1n);
    expect(parseQuantity('-1500m').value()).toBe(-2n);
  });

  test('numbers given as JSON numbers are accepted by tryParseQuantity', () => {
    const q = tryParseQuantity(2);
    expect(q).toBeInstanceOf(Quantity);
    expect(String(q)).toBe('2');
  });

  test('toJSON serialises the canonical string', () => {
    expect(JSON.stringify({ cpu: parseQuantity('0.25') })).toBe('{"cpu":"250m"}');
  });
});
