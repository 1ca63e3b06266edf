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
    scanner.value('');
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

class Scanner {
  readonly duplicates: string[] = [];
  private pos = 0;

  constructor(private readonly text: string) {}

  value(path: string): void {
    this.ws();
    const c = this.text[this.pos];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else this.literal();
  }

  private object(path: string): void {
    this.pos++; // {
    const seen = new Set<string>();
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      const child = path === '' ? key : `${path}.${key}`;
      if (seen.has(key)) this.duplicates.push(child);
      seen.add(key);
      this.ws();
      this.expect(':');
      this.value(child);
      this.ws();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(path: string): void {
    this.pos++; // [
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}[${i}]`);
      this.ws();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private string(): string {
    this.expect('"');
    const start = this.pos;
    let escaped = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') return JSON.parse(this.text.slice(start - 1, this.pos)) as string;
    }
    throw new Error('unterminated string');
  }

  private literal(): void {
    const start = this.pos;
    while (this.pos < this.text.length && !',}] \t\r\n'.includes(this.text[this.pos])) this.pos++;
    if (this.pos === start) throw new Error('unexpected character');
  }

  private ws(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`expected ${c}`);
    this.pos++;
  }
}
