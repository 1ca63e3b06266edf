/**
 * The static token file authenticator (`--token-auth-file`, upstream `tokenfile.NewCSV`): a CSV
 * file read once at start-up, one record per line, `token,user,uid[,"group1,group2"]`. Records with
 * an empty token are skipped; a later duplicate token replaces an earlier one; a record with fewer
 * than three columns makes the whole file invalid (the server does not start).
 */
import { readFile } from 'node:fs/promises';
import type { UserInfo } from '../user.js';
import type { TokenAuthenticator } from './types.js';

/** Parses the CSV text; throws with upstream's message on a short record. */
export function parseTokenFile(text: string, path = 'token file'): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const record of parseCSV(text)) {
    if (record.length === 1 && record[0] === '') continue;
    if (record.length < 3) {
      throw new Error(
        `token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`,
      );
    }
    const [token, username, uid, groups] = record as [string, string, string, string?];
    if (token === '') continue;
    const user: UserInfo = { username, uid, groups: [] };
    if (groups !== undefined && groups !== '') user.groups = groups.split(',').map((g) => g.trim());
    tokens.set(token, user);
  }
  return tokens;
}

export function tokenFileAuthenticator(tokens: Map<string, UserInfo>): TokenAuthenticator {
  return {
    name: 'token-file',
    async authenticateToken(token) {
      const user = tokens.get(token);
      return user ? { user: { ...user, groups: [...user.groups] } } : undefined;
    },
  };
}

/** Reads and parses `--token-auth-file`. */
export async function loadTokenFile(path: string): Promise<TokenAuthenticator> {
  return tokenFileAuthenticator(parseTokenFile(await readFile(path, 'utf8'), path));
}

/** RFC 4180 records: fields separated by commas, optionally double-quoted with "" escapes. */
function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
