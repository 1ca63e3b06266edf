/**
 * Just enough of `resource.Quantity` to compare two quantities by value, as
 * `apiequality.Semantic.DeepEqual` does (`"1000m"` equals `"1"`, `"1Ki"` equals `"1024"`).
 * Values are exact fractions of BigInts; nothing is rounded.
 */

/** A quantity as numerator / denominator, or undefined when the text is not a quantity. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
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

const quantityFormat =
  /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Parses the canonical or any accepted form of a quantity; undefined when it is not one. */
export function parseQuantity(text: string): Fraction | undefined {
  const m = quantityFormat.exec(text);
  if (!m) return undefined;
  const [, sign, number, suffix, exponent] = m;
  const [whole, fraction = ''] = number!.split('.');
  let num = BigInt((whole || '0') + fraction);
  let den = 10n ** BigInt(fraction.length);
  if (sign === '-') num = -num;
  if (suffix && suffix in binarySuffixes) {
    num *= 2n ** BigInt(binarySuffixes[suffix]!);
  } else {
    const e = exponent !== undefined ? Number(exponent) : decimalSuffixes[suffix ?? '']!;
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  return { num, den };
}

/** True when both texts are quantities of the same value. */
export function quantitiesEqual(a: string, b: string): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return !!x && !!y && x.num * y.den === y.num * x.den;
}
