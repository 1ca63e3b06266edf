/**
 * `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource): parsing, exact arithmetic and the
 * canonical text form used on the wire (`1536Mi`, `100m`, `1k`, `1e3`).
 *
 * Guarantees, as upstream's:
 * - Values are exact decimals (bigint mantissa × 10^scale); nothing is lost to floating point.
 * - Precision below one nano-unit is rounded away from zero on parse (`0.0000000001` → `1n`).
 * - The format (BinarySI, DecimalSI, DecimalExponent) is taken from the suffix and kept through
 *   arithmetic with the receiver; {@link Quantity.toString} prints the canonical form of that
 *   format: BinarySI falls back to DecimalSI for |value| < 1024 or non-integers; decimal forms use
 *   an exponent that is a multiple of 3 with the mantissa stripped of trailing zeros.
 * - Parse errors carry upstream's messages ({@link errFormatWrong}, {@link errNumeric},
 *   {@link errSuffix}).
 */

/** `resource.Format`. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** Upstream's `splitREString`. */
const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** `resource.ErrFormatWrong`. */
export const errFormatWrong = `quantities must match the regular expression '${splitREString}'`;
/** `resource.ErrNumeric`. */
export const errNumeric = 'unable to parse numeric part of quantity';
/** `resource.ErrSuffix`. */
export const errSuffix = "unable to parse quantity's suffix";

/** Thrown by {@link parseQuantity}; `message` is upstream's. */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const decimalExponentToSuffix = new Map(
  Object.entries(decimalSuffixes).map(([s, e]) => [e, s] as const),
);
const binarySuffixes: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const binaryPowerToSuffix = new Map(
  Object.entries(binarySuffixes).map(([s, e]) => [e, s] as const),
);

/** The smallest scale kept: nano. */
const minScale = -9;

/** An immutable exact quantity. */
export class Quantity {
  /** value = mantissa × 10^scale, with scale ≥ -9. */
  readonly mantissa: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;

  constructor(mantissa: bigint, scale: number, format: QuantityFormat) {
    const [m, s] = normalize(mantissa, scale);
    this.mantissa = m;
    this.scale = s;
    this.format = format;
  }

  /** An integer quantity, e.g. `Quantity.fromInt(3, 'DecimalSI')`. */
  static fromInt(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  /** A quantity of `milli` thousandths, e.g. `fromMilli(250)` = `250m`. */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli), -3, format);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  /** -1, 0 or 1. */
  sign(): number {
    return this.mantissa === 0n ? 0 : this.mantissa < 0n ? -1 : 1;
  }

  /** -1, 0 or 1 as `this` is less than, equal to or greater than `other`. */
  cmp(other: Quantity): number {
    const [a, b] = align(this, other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** `this + other`, in this quantity's format. */
  add(other: Quantity): Quantity {
    const s = Math.min(this.scale, other.scale);
    const [a, b] = align(this, other);
    return new Quantity(a + b, s, this.format);
  }

  /** `this - other`, in this quantity's format. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.scale, this.format);
  }

  /** `this × n` for an integer n. */
  mul(n: number | bigint): Quantity {
    return new Quantity(this.mantissa * BigInt(n), this.scale, this.format);
  }

  /** `Value()`: the value rounded up (away from zero) to an integer. */
  value(): bigint {
    return scaledValue(this, 0);
  }

  /** `MilliValue()`: the value in thousandths, rounded up (away from zero). */
  milliValue(): bigint {
    return scaledValue(this, -3);
  }

  /** `AsApproximateFloat64()`. */
  toNumber(): number {
    return Number(this.mantissa) * 10 ** this.scale;
  }

  /** The canonical form (`CanonicalizeBytes`), as serialised to JSON. */
  toString(): string {
    if (this.mantissa === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const v = this.cmp(Quantity.fromInt(-1024)) > 0 && this.cmp(Quantity.fromInt(1024)) < 0;
      if (v || this.scale < 0) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let value = this.mantissa * 10n ** BigInt(this.scale);
      let times = 0;
      while (times < 6 && value % 1024n === 0n) {
        value /= 1024n;
        times++;
      }
      return `${value}${binaryPowerToSuffix.get(times) ?? ''}`;
    }
    // Decimal: exponent a multiple of 3, mantissa without trailing zeros beyond that.
    let m = this.mantissa;
    let e = this.scale;
    while (m % 10n === 0n) {
      m /= 10n;
      e++;
    }
    const r = ((e % 3) + 3) % 3;
    m *= 10n ** BigInt(r);
    e -= r;
    if (format === 'DecimalExponent') return e === 0 ? `${m}` : `${m}e${e}`;
    if (e > 18) {
      // No SI suffix above E: keep the largest one and grow the mantissa.
      m *= 10n ** BigInt(e - 18);
      e = 18;
    }
    return `${m}${decimalExponentToSuffix.get(e) ?? ''}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Strips trailing zeros of the mantissa (keeping scale ≥ -9 rounding already applied). */
function normalize(mantissa: bigint, scale: number): [bigint, number] {
  let m = mantissa;
  let s = scale;
  if (s < minScale) {
    const div = 10n ** BigInt(minScale - s);
    const q = m / div;
    m = m % div === 0n ? q : q + (m < 0n ? -1n : 1n);
    s = minScale;
  }
  if (m === 0n) return [0n, 0];
  while (s < 0 && m % 10n === 0n) {
    m /= 10n;
    s++;
  }
  return [m, s];
}

function align(a: Quantity, b: Quantity): [bigint, bigint] {
  const s = Math.min(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(a.scale - s), b.mantissa * 10n ** BigInt(b.scale - s)];
}

function scaledValue(q: Quantity, scale: number): bigint {
  if (q.scale >= scale) return q.mantissa * 10n ** BigInt(q.scale - scale);
  const div = 10n ** BigInt(scale - q.scale);
  const quo = q.mantissa / div;
  return q.mantissa % div === 0n ? quo : quo + (q.mantissa < 0n ? -1n : 1n);
}

/**
 * `resource.ParseQuantity`: `<sign><digits>[.<digits>]<suffix>` where the suffix is a binary SI
 * suffix (Ki…Ei), a decimal SI suffix (n u m k M G T P E) or a decimal exponent (`e3`, `E-2`).
 * Throws {@link QuantityParseError} with upstream's message.
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(errFormatWrong);
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str);
  if (!m) throw new QuantityParseError(errFormatWrong);
  const [, sign, whole, frac = '', suffix] = m;
  if (whole === '' && frac === '') {
    throw new QuantityParseError(
      str.startsWith('.') || /^[+-]?\./.test(str) ? errNumeric : errFormatWrong,
    );
  }
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new QuantityParseError(errFormatWrong);
  let exponent: number;
  let format: QuantityFormat;
  let binaryPower = 0;
  if (suffix in decimalSuffixes) {
    exponent = decimalSuffixes[suffix];
    format = 'DecimalSI';
  } else if (suffix in binarySuffixes) {
    exponent = 0;
    binaryPower = binarySuffixes[suffix];
    format = 'BinarySI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    exponent = Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    throw new QuantityParseError(errSuffix);
  }
  let mantissa = BigInt(`${whole || '0'}${frac}`);
  if (sign === '-') mantissa = -mantissa;
  mantissa *= 1024n ** BigInt(binaryPower * 1);
  const scale = exponent - frac.length;
  return new Quantity(mantissa, scale, format);
}

/** Like {@link parseQuantity} but returns the error message instead of throwing. */
export function tryParseQuantity(str: unknown): Quantity | string {
  if (typeof str === 'number' && Number.isFinite(str)) str = String(str);
  if (typeof str !== 'string') return errFormatWrong;
  try {
    return parseQuantity(str);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The canonical form of a quantity string, e.g. `canonicalQuantity('1.5Gi')` = `1536Mi`. */
export function canonicalQuantity(str: string): string {
  return parseQuantity(str).toString();
}
