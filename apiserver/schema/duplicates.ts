/**
 * Duplicate-field detection on request bodies, which `JSON.parse` cannot do (it keeps the last
 * value silently). Upstream's strict JSON decoder (sigs.k8s.io/json) reports each repeated key as
 * `duplicate field "<path>"`, where the path joins object keys with dots and list indexes as
 * `[i]` (`spec.template.spec.containers[0].name`); the value kept is the last one, as here.
 *
 * The scanner only reports duplicates; malformed JSON yields whatever was found before the error
 * and is left for the real parser to reject.
 */
import { LineCounter, isScalar, parseDocument, visit } from 'yaml';

/** Paths of repeated object keys in a JSON text, in document order, as upstream words them. */
export function findDuplicateFields(json: string): string[] {
  const scanner = new Scanner(json);
  try {
    scanner.value();
  } catch {
    // Malformed input: report what was found; the caller's JSON.parse rejects the body.
  }
  return scanner.duplicates.map((path) => `duplicate field "${path}"`);
}

/**
 * Duplicate keys in a YAML document (an apply patch), as upstream's strict YAML decoding reports
 * them: `yaml: unmarshal errors:\n  line 4: key "replicas" already set in map`. Returns an empty
 * string when there are none (or when the text is not valid YAML, which the parser reports).
 */
export function findDuplicateFieldsInYaml(text: string): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  const lines: string[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
          const line = lineCounter.linePos(offset).line;
          lines.push(`  line ${line}: key ${JSON.stringify(String(key))} already set in map`);
        }
        seen.add(key);
      }
    },
  });
  return lines.length ? `yaml: unmarshal errors:\n${lines.join('\n')}` : '';
}

/**
 * A JSON scanner that only looks at keys: values are skipped without decoding, a key is decoded
 * only when it holds an escape, and the path of a key is only spelled out for a duplicate (every
 * write's body goes through here).
 */
class Scanner {
  readonly duplicates: string[] = [];
  private pos = 0;
  /** Keys and indexes from the root to the value being scanned. */
  private readonly path: Array<string | number> = [];

  constructor(private readonly text: string) {}

  value(): void {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b /* { */) this.object();
    else if (c === 0x5b /* [ */) this.array();
    else if (c === 0x22 /* " */) this.string();
    else this.literal();
  }

  private object(): void {
    this.pos++; // {
    const seen = new Set<string>();
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      if (seen.has(key)) this.duplicates.push(this.spell(key));
      seen.add(key);
      this.ws();
      this.expect(0x3a /* : */);
      this.path.push(key);
      this.value();
      this.path.pop();
      this.ws();
      if (this.text.charCodeAt(this.pos) === 0x2c /* , */) {
        this.pos++;
        continue;
      }
      this.expect(0x7d /* } */);
      return;
    }
  }

  private array(): void {
    this.pos++; // [
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.path.push(i);
      this.value();
      this.path.pop();
      this.ws();
      if (this.text.charCodeAt(this.pos) === 0x2c /* , */) {
        this.pos++;
        continue;
      }
      this.expect(0x5d /* ] */);
      return;
    }
  }

  /** `spec.template.spec.containers[0].name` for `key` under the current path. */
  private spell(key: string): string {
    let out = '';
    for (const p of [...this.path, key]) {
      if (typeof p === 'number') out += `[${p}]`;
      else out += out === '' ? p : `.${p}`;
    }
    return out;
  }

  /** Skips a string; returns its value (decoded only when it holds an escape). */
  private string(): string {
    this.expect(0x22 /* " */);
    const start = this.pos;
    let escapes = false;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5c /* \ */) {
        escapes = true;
        this.pos++;
      } else if (c === 0x22 /* " */) {
        const raw = this.text.slice(start - 1, this.pos);
        return escapes ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
    }
    throw new Error('unterminated string');
  }

  private literal(): void {
    const start = this.pos;
    while (this.pos < this.text.length && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) throw new Error('unexpected character');
  }

  private ws(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.pos) !== c) throw new Error(`expected ${String.fromCharCode(c)}`);
    this.pos++;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** `,` `}` `]` or whitespace: where a number, `true`, `false` or `null` ends. */
function isDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c);
}
