/**
 * `intstr.GetScaledValueFromIntOrPercent`: an int, or a percentage of `total` rounded up or down.
 * Errors carry upstream's wording.
 */

/** An `IntOrString` as on the wire. */
export type IntOrString = number | string;

export function getScaledValueFromIntOrPercent(
  value: IntOrString | undefined | null,
  total: number,
  roundUp: boolean,
): number {
  if (value === undefined || value === null) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') return value;
  if (!value.endsWith('%'))
    throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[-+]?\d+$/.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  const percent = Number(digits);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
