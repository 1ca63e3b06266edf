/**
 * Field selectors, as `k8s.io/apimachinery/pkg/fields`: `key=value`, `key==value` or
 * `key!=value` terms joined by commas (AND). A backslash escapes `\`, `,`, `=` and `!` inside a
 * value. Syntax errors throw {@link FieldSelectorError} with upstream's wording.
 *
 * Which keys a resource supports is its `ResourceType.fieldLabels` (see {@link supportedFields});
 * an unsupported key is a 400 `field label not supported: <key>` at the handler.
 */

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Matches an object's field set (`metadata.name` → value). A missing field is ''. */
  matches(fields: Readonly<Record<string, string>>): boolean {
    for (const r of this.requirements) {
      const v = fields[r.field] ?? '';
      if ((r.operator === '=') !== (v === r.value)) return false;
    }
    return true;
  }

  /** The value pinned by an `=` term on `field`, e.g. `metadata.name=web` → `web`. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

function escapeValue(v: string): string {
  return v.replace(/[\\,=!]/g, (c) => `\\${c}`);
}

/** Parses `fieldSelector`. The empty string selects everything. */
export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === '') return new FieldSelector([]);
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === '') continue;
    reqs.push(parseTerm(term, input));
  }
  return new FieldSelector(reqs);
}

/** Splits on unescaped commas, keeping escapes for {@link parseTerm}. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      cur += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  terms.push(cur);
  return terms;
}

function parseTerm(term: string, whole: string): FieldRequirement {
  for (const [op, operator] of [
    ['!=', '!='],
    ['==', '='],
    ['=', '='],
  ] as const) {
    const at = unescapedIndex(term, op);
    if (at < 0) continue;
    const field = term.slice(0, at).trim();
    const raw = term.slice(at + op.length);
    if (field === '') break;
    return { field, operator, value: unescape(raw, whole) };
  }
  throw new FieldSelectorError(`invalid selector: '${whole}'; can't understand '${term}'`);
}

/** Index of `op` in `s` outside escapes (operators are never escaped in keys). */
function unescapedIndex(s: string, op: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s.startsWith(op, i)) return i;
  }
  return -1;
}

function unescape(raw: string, whole: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === undefined || !'\\,=!'.includes(next)) {
        throw new FieldSelectorError(`invalid field selector: '${whole}': invalid escape sequence`);
      }
      out += next;
      i++;
    } else if (c === '=' || c === '!') {
      throw new FieldSelectorError(`invalid field selector: '${whole}': unescaped ${c} in value`);
    } else {
      out += c;
    }
  }
  return out;
}
