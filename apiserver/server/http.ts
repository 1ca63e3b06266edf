/**
 * Reading requests and writing responses: bodies are read up to a limit (413 beyond it, as
 * upstream's `limitedReadBody`), responses are JSON, YAML or protobuf, and every error becomes a
 * `Status` body with its code — never a stack trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as yamlStringify } from 'yaml';
import {
  newBadRequest,
  newRequestEntityTooLarge,
  toStatus,
  type Status,
} from '../../common/index.js';
import { checkNestingDepth } from '../limits/depth.js';
import { encodeObject, protobufMediaType } from '../protobuf/index.js';

/** Reads the whole body; 413 `Request entity too large: limit is N` when it exceeds `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(newRequestEntityTooLarge(`limit is ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(newRequestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Parses a JSON body; 400 with the parser's message when it is not JSON. */
export function parseJSON(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw newBadRequest(
      `error decoding request body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return checkNestingDepth(value);
}

/** Writes a body that is already serialised. */
export function writeRaw(
  res: ServerResponse,
  code: number,
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(body);
}

/**
 * Serialises and writes an object as JSON, YAML or (built-in kinds; `apiVersion`/`kind` name the
 * message) Kubernetes protobuf.
 */
export function writeObject(
  res: ServerResponse,
  code: number,
  obj: unknown,
  encoding: 'json' | 'yaml' | 'protobuf' = 'json',
  contentType?: string,
  headers?: Record<string, string | string[]>,
): void {
  if (encoding === 'protobuf') {
    const body = encodeObject(obj as Record<string, unknown>);
    writeRaw(res, code, body, contentType ?? protobufMediaType, headers);
  } else if (encoding === 'yaml') {
    writeRaw(res, code, yamlStringify(obj), contentType ?? 'application/yaml', headers);
  } else {
    writeRaw(res, code, JSON.stringify(obj), contentType ?? 'application/json', headers);
  }
}

/** Writes any error as a `Status` (500 for anything that is not a StatusError). */
export function writeError(res: ServerResponse, err: unknown): Status {
  const status = toStatus(err);
  const headers: Record<string, string> = {};
  const retry = status.details?.retryAfterSeconds;
  if (retry && (status.code === 429 || status.code >= 500)) headers['Retry-After'] = String(retry);
  writeRaw(res, status.code, JSON.stringify(status), 'application/json', headers);
  return status;
}
