/**
 * The part of client-go's JSONPath (k8s.io/client-go/util/jsonpath) that printer columns use,
 * with `AllowMissingKeys(true)`: a path such as `.spec.replicas`,
 * `.status.conditions[?(@.type=="Ready")].status`, `.spec.containers[*].image`,
 * `.metadata.labels['app\.kubernetes\.io/name']`, `..name` or `.items[-1:]` evaluates to the list
 * of values it reaches, in document order; a missing key reaches nothing (no error).
 *
 * Supported: child fields (`.a`, `['a']`, `["a"]`, with `\.` escapes in dotted names), `*`
 * wildcards, recursive descent (`..a`), indexes (negative from the end), slices `[a:b:c]`,
 * unions `[0,2]` / `['a','b']`, filters `[?(@.x == "v")]` with `==`, `!=`, `<`, `<=`, `>`,
 * `>=` against string, number, boolean or `@.path` operands, and existence filters `[?(@.x)]`.
 * Not supported: ranges and other template actions (`{range}`, `{end}`), which printer columns
 * do not use. Parsing errors are thrown as `Error` with a message.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'names'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; step: Step }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: Step[]; op?: string; right?: Operand };

type Operand = { kind: 'path'; steps: Step[] } | { kind: 'literal'; value: unknown };

/** A compiled path; {@link JSONPath.find} evaluates it. */
export class JSONPath {
  private readonly steps: Step[];

  /** Parses `path` (with or without the surrounding `{}`); throws on a syntax error. */
  constructor(readonly path: string) {
    let text = path.trim();
    if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
    if (text.startsWith('$')) text = text.slice(1);
    this.steps = new Parser(text).parsePath(false);
  }

  /** Every value the path reaches in `root` (empty when a key is missing). */
  find(root: unknown): unknown[] {
    return evaluate(this.steps, [root]);
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(what: string): never {
    throw new Error(`unrecognized character in action: ${what} in ${JSON.stringify(this.s)}`);
  }

  private peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }

  /** Steps until the end (or, inside a filter, until `)` or an operator). */
  parsePath(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    while (this.i < this.s.length) {
      const c = this.peek();
      if (inFilter && (c === ')' || c === ' ' || '=!<>'.includes(c))) break;
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.i += 2;
          const next = this.peek() === '[' ? this.parseBracket() : this.parseDotted();
          steps.push({ kind: 'recursive', step: next });
        } else {
          this.i++;
          if (this.i >= this.s.length) break;
          steps.push(this.peek() === '[' ? this.parseBracket() : this.parseDotted());
        }
      } else if (c === '[') {
        steps.push(this.parseBracket());
      } else if (c === '@' && inFilter) {
        this.i++;
      } else {
        this.fail(c);
      }
    }
    return steps;
  }

  private parseDotted(): Step {
    if (this.peek() === '*') {
      this.i++;
      return { kind: 'wildcard' };
    }
    let name = '';
    while (this.i < this.s.length) {
      const c = this.peek();
      if (c === '\\' && this.peek(1) === '.') {
        name += '.';
        this.i += 2;
        continue;
      }
      if ('.[]()= !<>'.includes(c)) break;
      name += c;
      this.i++;
    }
    if (!name) this.fail(this.peek());
    return { kind: 'field', name };
  }

  private parseBracket(): Step {
    const close = this.matching();
    const body = this.s.slice(this.i + 1, close).trim();
    this.i = close + 1;
    if (body === '*') return { kind: 'wildcard' };
    if (body.startsWith('?(') && body.endsWith(')')) return parseFilter(body.slice(2, -1));
    const parts = splitUnion(body);
    if (parts.every((p) => /^(['"]).*\1$/.test(p))) {
      return { kind: 'names', names: parts.map((p) => p.slice(1, -1)) };
    }
    if (parts.length === 1 && parts[0]!.includes(':')) {
      const [a, b, c] = parts[0]!.split(':').map((x) => x.trim());
      const num = (x: string | undefined) => (x ? parseIntStrict(x) : undefined);
      return { kind: 'slice', start: num(a), end: num(b), step: num(c) };
    }
    return { kind: 'indexes', indexes: parts.map(parseIntStrict) };
  }

  /** Index of the `]` closing the `[` at the cursor (quotes and parentheses respected). */
  private matching(): number {
    let depth = 0;
    let quote = '';
    for (let j = this.i; j < this.s.length; j++) {
      const c = this.s[j]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        depth--;
        if (depth === 0) return j;
      }
    }
    throw new Error(`unclosed array expect ] in ${JSON.stringify(this.s)}`);
  }
}

function parseIntStrict(x: string): number {
  if (!/^-?\d+$/.test(x.trim())) throw new Error(`invalid array index ${x}`);
  return Number(x);
}

function splitUnion(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (const c of body) {
    if (quote) {
      if (c === quote) quote = '';
      cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function parseFilter(expr: string): Step {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(expr.trim());
  const leftText = (m ? m[1]! : expr).trim();
  if (!leftText.startsWith('@')) throw new Error(`unrecognized filter ${JSON.stringify(expr)}`);
  const left = new Parser(leftText.slice(1)).parsePath(true);
  if (!m) return { kind: 'filter', left };
  return { kind: 'filter', left, op: m[2], right: parseOperand(m[3]!.trim()) };
}

function parseOperand(text: string): Operand {
  if (text.startsWith('@'))
    return { kind: 'path', steps: new Parser(text.slice(1)).parsePath(true) };
  if (/^(['"]).*\1$/.test(text)) return { kind: 'literal', value: text.slice(1, -1) };
  if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return { kind: 'literal', value: Number(text) };
  throw new Error(`unrecognized filter operand ${JSON.stringify(text)}`);
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.keys(o)
      .sort()
      .map((k) => o[k]);
  }
  return [];
}

function applyStep(step: Step, v: unknown): unknown[] {
  const obj = v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (step.kind) {
    case 'field': {
      if (!obj) return [];
      const o = v as Record<string, unknown>;
      return Object.prototype.hasOwnProperty.call(o, step.name) ? [o[step.name]] : [];
    }
    case 'names':
      return step.names.flatMap((name) => applyStep({ kind: 'field', name }, v));
    case 'wildcard':
      return children(v);
    case 'recursive': {
      const out: unknown[] = [];
      const visit = (x: unknown) => {
        out.push(...applyStep(step.step, x));
        for (const c of children(x)) visit(c);
      };
      visit(v);
      return out;
    }
    case 'indexes': {
      if (!Array.isArray(v)) return [];
      return step.indexes
        .map((i) => (i < 0 ? v.length + i : i))
        .filter((i) => i >= 0 && i < v.length)
        .map((i) => v[i]);
    }
    case 'slice': {
      if (!Array.isArray(v)) return [];
      const norm = (x: number) => (x < 0 ? Math.max(0, v.length + x) : Math.min(x, v.length));
      const start = norm(step.start ?? 0);
      const end = norm(step.end ?? v.length);
      const by = step.step ?? 1;
      const out: unknown[] = [];
      for (let i = start; i < end && by > 0; i += by) out.push(v[i]);
      return out;
    }
    case 'filter': {
      const items = Array.isArray(v) ? v : children(v);
      return items.filter((item) => matchesFilter(step, item));
    }
  }
}

function matchesFilter(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const lefts = evaluate(step.left, [item]);
  if (!step.op) return lefts.length > 0 && lefts.some((l) => l !== null && l !== false);
  const rights =
    step.right!.kind === 'literal' ? [step.right!.value] : evaluate(step.right!.steps, [item]);
  return lefts.some((l) => rights.some((r) => compare(l, step.op!, r)));
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  switch (op) {
    case '==':
      return sa === sb;
    case '!=':
      return sa !== sb;
    case '<':
      return sa < sb;
    case '<=':
      return sa <= sb;
    case '>':
      return sa > sb;
    default:
      return sa >= sb;
  }
}

function evaluate(steps: Step[], start: unknown[]): unknown[] {
  let cur = start;
  for (const step of steps) cur = cur.flatMap((v) => applyStep(step, v));
  return cur;
}
