/**
 * Label selectors, as `k8s.io/apimachinery/pkg/labels` and `metav1.LabelSelector` define them.
 *
 * - {@link parseLabelSelector} parses the string form a client sends (`?labelSelector=`), e.g.
 *   `app=web,tier!=db,env in (prod,staging),!canary,track`. Syntax errors throw
 *   {@link LabelSelectorError} with upstream's wording; callers turn it into a 400.
 * - {@link labelSelectorFromObject} converts a structured `metav1.LabelSelector` (matchLabels +
 *   matchExpressions), as upstream's `LabelSelectorAsSelector` does: `null`/`undefined` selects
 *   nothing, `{}` selects everything.
 * - {@link Selector.matches} is pure and never throws; {@link Selector.toString} renders the
 *   canonical form (requirements sorted by key, set values sorted), which is what upstream puts in
 *   `Scale.status.selector`.
 */

/** A selector operator, with upstream's names (`selection.Operator`). */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement: `key op values`. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted; one value for `=`, `==`, `!=`, `gt`, `lt`; none for `exists` and `!`. */
  readonly values: readonly string[];
}

/** Thrown for a selector that does not parse or has an invalid key or value. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

/** A parsed label selector: the AND of its requirements. */
export class Selector {
  /** `nothing` is the selector of a null `metav1.LabelSelector`: it matches no object. */
  private constructor(
    readonly requirements: readonly Requirement[],
    private readonly nothing = false,
  ) {}

  static of(requirements: Requirement[]): Selector {
    const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new Selector(sorted);
  }

  /** Matches every object. */
  static everything(): Selector {
    return new Selector([]);
  }

  /** Matches no object. */
  static nothing(): Selector {
    return new Selector([], true);
  }

  /** True when the selector has no requirements (and is not {@link Selector.nothing}). */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    if (this.nothing) return false;
    const l = labels ?? {};
    for (const r of this.requirements) if (!requirementMatches(r, l)) return false;
    return true;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const v = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? v > bound : v < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of keys and values (k8s.io/apimachinery/pkg/util/validation).
// ---------------------------------------------------------------------------------------------

const qualifiedNameFmt = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dns1123SubdomainFmt = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValueFmt = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Problems with a label key (`IsQualifiedName`): an optional DNS-subdomain prefix (≤ 253) and `/`,
 * then a name of ≤ 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. Empty
 * array when valid.
 */
export function validateLabelKey(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
    else if (!dns1123SubdomainFmt.test(prefix)) {
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !qualifiedNameFmt.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs;
}

/** Problems with a label value (`IsValidLabelValue`): ≤ 63 chars, may be empty. */
export function validateLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!labelValueFmt.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// The string parser (labels.Parse): a lexer and a recursive-descent parser as upstream's.
// ---------------------------------------------------------------------------------------------

type TokenKind =
  | 'identifier'
  | 'eq'
  | 'deq'
  | 'neq'
  | 'in'
  | 'notin'
  | 'bang'
  | 'gt'
  | 'lt'
  | 'open'
  | 'close'
  | 'comma'
  | 'end';

interface Token {
  kind: TokenKind;
  text: string;
}

const specialChars = new Set(['=', '!', '(', ')', ',', '>', '<']);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (specialChars.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==') tokens.push({ kind: 'deq', text: two });
      else if (two === '!=') tokens.push({ kind: 'neq', text: two });
      if (two === '==' || two === '!=') {
        i += 2;
        continue;
      }
      const kind: TokenKind =
        c === '='
          ? 'eq'
          : c === '!'
            ? 'bang'
            : c === '('
              ? 'open'
              : c === ')'
                ? 'close'
                : c === ','
                  ? 'comma'
                  : c === '>'
                    ? 'gt'
                    : 'lt';
      tokens.push({ kind, text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !specialChars.has(input[j]!) && !/\s/.test(input[j]!)) j++;
    const word = input.slice(i, j);
    tokens.push({
      kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'identifier',
      text: word,
    });
    i = j;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'identifier' && t.kind !== 'bang') {
        throw new LabelSelectorError(
          `found '${t.text}', expected: !, identifier, or 'end of string'`,
        );
      }
      reqs.push(this.requirement());
      const after = this.next();
      if (after.kind === 'end') return reqs;
      if (after.kind !== 'comma') {
        throw new LabelSelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
      }
      if (this.peek().kind === 'end') {
        throw new LabelSelectorError("found 'end of string', expected: identifier after ','");
      }
    }
  }

  private requirement(): Requirement {
    let negated = false;
    if (this.peek().kind === 'bang') {
      this.next();
      negated = true;
    }
    const keyTok = this.next();
    if (keyTok.kind !== 'identifier') {
      throw new LabelSelectorError(
        `unable to parse requirement: found '${keyTok.text || 'end of string'}', expected: identifier`,
      );
    }
    const key = keyTok.text;
    checkKey(key);
    if (negated) return { key, operator: '!', values: [] };
    const opTok = this.peek();
    if (opTok.kind === 'end' || opTok.kind === 'comma')
      return { key, operator: 'exists', values: [] };
    this.next();
    let operator: SelectorOperator;
    switch (opTok.kind) {
      case 'eq':
        operator = '=';
        break;
      case 'deq':
        operator = '==';
        break;
      case 'neq':
        operator = '!=';
        break;
      case 'in':
        operator = 'in';
        break;
      case 'notin':
        operator = 'notin';
        break;
      case 'gt':
        operator = 'gt';
        break;
      case 'lt':
        operator = 'lt';
        break;
      default:
        throw new LabelSelectorError(
          `unable to parse requirement: found '${opTok.text}', expected: in, notin, =, ==, !=, gt, lt`,
        );
    }
    const values =
      operator === 'in' || operator === 'notin' ? this.valueSet() : [this.exactValue()];
    for (const v of values) checkValue(v);
    if ((operator === 'gt' || operator === 'lt') && !/^-?\d+$/.test(values[0]!)) {
      throw new LabelSelectorError(
        `unable to parse requirement: values[0]: Invalid value: "${values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    return { key, operator, values: [...new Set(values)].sort() };
  }

  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === 'comma') return '';
    if (t.kind === 'identifier' || t.kind === 'in' || t.kind === 'notin') {
      this.next();
      return t.text;
    }
    throw new LabelSelectorError(
      `unable to parse requirement: found '${t.text}', expected: identifier`,
    );
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== 'open') {
      throw new LabelSelectorError(
        `unable to parse requirement: found '${open.text || 'end of string'}', expected: '('`,
      );
    }
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'identifier' || t.kind === 'in' || t.kind === 'notin') {
        values.push(t.text);
        const sep = this.next();
        if (sep.kind === 'close') return values;
        if (sep.kind !== 'comma') {
          throw new LabelSelectorError(
            `unable to parse requirement: found '${sep.text || 'end of string'}', expected: ',' or ')'`,
          );
        }
        continue;
      }
      if (t.kind === 'comma') {
        values.push('');
        continue;
      }
      if (t.kind === 'close') {
        values.push('');
        return values;
      }
      throw new LabelSelectorError(
        `unable to parse requirement: found '${t.text || 'end of string'}', expected: ',', ')' or identifier`,
      );
    }
  }
}

function checkKey(key: string): void {
  const errs = validateLabelKey(key);
  if (errs.length > 0) {
    throw new LabelSelectorError(
      `unable to parse requirement: key: Invalid value: "${key}": ${errs.join('; ')}`,
    );
  }
}

function checkValue(value: string): void {
  const errs = validateLabelValue(value);
  if (errs.length > 0) {
    throw new LabelSelectorError(
      `unable to parse requirement: values[0][${value}]: Invalid value: "${value}": ${errs.join('; ')}`,
    );
  }
}

/** Parses the string form of a label selector. The empty string selects everything. */
export function parseLabelSelector(input: string): Selector {
  return Selector.of(new Parser(lex(input)).parse());
}

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

/** `metav1.LabelSelector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * `metav1.LabelSelectorAsSelector`: `null`/`undefined` → nothing; `{}` → everything. Throws
 * {@link LabelSelectorError} for an unknown operator or a bad values list.
 */
export function labelSelectorFromObject(sel: LabelSelector | null | undefined): Selector {
  if (sel === null || sel === undefined) return Selector.nothing();
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    checkKey(key);
    checkValue(value);
    reqs.push({ key, operator: '=', values: [value] });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...new Set(expr.values ?? [])].sort();
    checkKey(expr.key);
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          throw new LabelSelectorError(
            `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
          );
        }
        values.forEach(checkValue);
        reqs.push({ key: expr.key, operator: expr.operator === 'In' ? 'in' : 'notin', values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          throw new LabelSelectorError(
            `values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`,
          );
        }
        reqs.push({ key: expr.key, operator: expr.operator === 'Exists' ? 'exists' : '!', values });
        break;
      default:
        throw new LabelSelectorError(`"${expr.operator}" is not a valid label selector operator`);
    }
  }
  return Selector.of(reqs);
}
