/**
 * JSON over the {@link Transport}: paths, query strings, content types, and errors. Every non-2xx
 * response becomes a {@link StatusError} (the server's `Status` body when it sent one). Requests
 * answered 429 or 5xx **with** a `Retry-After` header are retried after that many seconds, up to
 * `maxRetries` times (client-go's `checkWait`); a 401 refreshes credentials and retries once.
 * Network errors are thrown as they are; callers decide whether to retry.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import {
  realClock,
  statusErrorFromResponse,
  type Clock,
  type StatusError,
} from '../../common/index.js';
import { defaultMaxRetries } from './defaults.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import type { GroupVersionKind } from './types.js';

/** Media types of PATCH bodies. */
export const patchContentTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export type PatchType = keyof typeof patchContentTypes;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RestRequest {
  method: TransportRequest['method'];
  path: string;
  query?: Query;
  /** Serialised as JSON unless a string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

/** Observes every finished request (for `rest_client_requests_total` and friends). */
export type RequestObserver = (info: {
  method: string;
  code: number | 'error';
  host: string;
  seconds: number;
}) => void;

export interface RestClientOptions {
  clock?: Clock;
  maxRetries?: number;
  observer?: RequestObserver;
}

export class RestClient {
  readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly observer: RequestObserver | undefined;
  private readonly host: string;

  constructor(
    readonly transport: Transport,
    options: RestClientOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.maxRetries = options.maxRetries ?? defaultMaxRetries;
    this.observer = options.observer;
    this.host = new URL(transport.server).host;
  }

  /** Sends a request and parses the JSON answer. */
  async json<T>(req: RestRequest): Promise<T> {
    const res = await this.send(req);
    const text = await readBody(res.body);
    if (res.status < 200 || res.status > 299) throw errorFor(res.status, text, res.headers);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Sends a request whose answer is a stream (a watch). Resolves once a 2xx status arrived; the
   * caller owns the body.
   */
  async stream(req: RestRequest): Promise<TransportResponse> {
    const res = await this.send(req);
    if (res.status >= 200 && res.status <= 299) return res;
    const text = await readBody(res.body);
    throw errorFor(res.status, text, res.headers);
  }

  private async send(req: RestRequest): Promise<TransportResponse> {
    const path = withQuery(req.path, req.query);
    const headers: Record<string, string> = { Accept: req.accept ?? 'application/json' };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }
    let refreshedAuth = false;
    for (let attempt = 0; ; attempt++) {
      const started = this.clock.now();
      let res: TransportResponse;
      try {
        res = await this.transport.request({
          method: req.method,
          path,
          headers,
          body,
          signal: req.signal,
        });
      } catch (err) {
        this.observe(req.method, 'error', started);
        throw err;
      }
      this.observe(req.method, res.status, started);
      if (res.status === 401 && !refreshedAuth) {
        refreshedAuth = true;
        res.body.resume();
        this.transport.invalidateCredentials();
        continue;
      }
      const wait = retryAfterSeconds(res);
      if (wait !== undefined && attempt < this.maxRetries) {
        res.body.resume();
        await this.clock.sleep(wait * 1000, req.signal);
        continue;
      }
      return res;
    }
  }

  private observe(method: string, code: number | 'error', started: number): void {
    this.observer?.({
      method,
      code,
      host: this.host,
      seconds: (this.clock.now() - started) / 1000,
    });
  }
}

/** Seconds to wait before retrying, when the answer asks for it (429/5xx + Retry-After). */
function retryAfterSeconds(res: TransportResponse): number | undefined {
  if (res.status !== 429 && res.status < 500) return undefined;
  const header = res.headers['retry-after'];
  if (header === undefined) return undefined;
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function errorFor(
  status: number,
  text: string,
  headers: TransportResponse['headers'],
): StatusError {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : text;
  } catch {
    // not JSON: keep the text
  }
  const err = statusErrorFromResponse(status, body);
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && err.status.details?.retryAfterSeconds === undefined) {
    err.status.details = { ...err.status.details, retryAfterSeconds: retryAfter };
  }
  return err;
}

/** Reads a whole body as UTF-8 text. */
export async function readBody(body: Readable): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of body) text += decoder.write(chunk as Buffer);
  return text + decoder.end();
}

/** Appends a query string (undefined values are left out). */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** Where a resource lives. */
export interface ResourceLocation {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

/**
 * The REST path of a collection or object: `/api/v1/namespaces/ns/pods/name/status`,
 * `/apis/apps/v1/deployments` (all namespaces) …
 */
export function resourcePath(
  loc: ResourceLocation,
  parts: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  let path = loc.group ? `/apis/${loc.group}/${loc.version}` : `/api/${loc.version}`;
  if (loc.namespaced && parts.namespace)
    path += `/namespaces/${encodeURIComponent(parts.namespace)}`;
  path += `/${loc.plural}`;
  if (parts.name !== undefined) {
    if (parts.name === '') throw new Error('resource name may not be empty');
    path += `/${encodeURIComponent(parts.name)}`;
    if (parts.subresource) path += `/${parts.subresource}`;
  }
  return path;
}

/** Path of a group-version's discovery document (`/api/v1`, `/apis/apps/v1`). */
export function groupVersionPath(gv: Pick<GroupVersionKind, 'group' | 'version'>): string {
  return gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
}
