/**
 * The audit filter (upstream `WithAudit`): records each request as `audit.k8s.io/v1` Events —
 * `RequestReceived` when it arrives, `ResponseStarted` when a long-running response (a watch)
 * starts, `ResponseComplete` when the response ends — at the level the policy gives (never above
 * Metadata: no bodies). Events carry the user, source IP, user agent, verb, request URI, object
 * reference and response status (code; for failures also status, reason and message, as upstream
 * copies them from the Status body). Place it right after authentication so `user` is known.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, realClock } from '../../common/index.js';
import type { Filter, RequestScope } from '../server/scope.js';
import type { AuditSink } from './log.js';
import { evaluatePolicy, metadataPolicy, type AuditPolicy, type AuditStage } from './policy.js';
import { isLongRunning } from '../limits/longrunning.js';

export interface AuditOptions {
  sink: AuditSink;
  policy?: AuditPolicy;
  clock?: Clock;
}

/** Upstream's MicroTime: `2006-01-02T15:04:05.000000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const maxStatusBody = 64 * 1024;

export function auditFilter(opts: AuditOptions): Filter {
  const clock = opts.clock ?? realClock;
  const policy = opts.policy ?? metadataPolicy;
  return async (scope: RequestScope, next: () => Promise<void>): Promise<void> => {
    const { info, req, res } = scope;
    const decision = evaluatePolicy(policy, info, scope.user);
    if (decision.level === 'None') return next();
    const received = clock.now();
    const base: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: decision.level,
      auditID: String(req.headers['audit-id'] ?? '') || randomUUID(),
      stage: 'RequestReceived',
      requestURI: req.url ?? '',
      verb: info.verb,
      user: scope.user
        ? { ...scope.user }
        : { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      sourceIPs: [req.socket.remoteAddress ?? ''],
      userAgent: req.headers['user-agent'],
    };
    if (info.isResourceRequest) {
      const ref: Record<string, string> = { resource: info.resource };
      if (info.namespace) ref.namespace = info.namespace;
      if (info.name) ref.name = info.name;
      if (info.apiGroup) ref.apiGroup = info.apiGroup;
      ref.apiVersion = info.apiVersion;
      if (info.subresource) ref.subresource = info.subresource;
      base.objectRef = ref;
    }
    res.setHeader('Audit-Id', base.auditID as string);
    const emit = (stage: AuditStage, extra: Record<string, unknown> = {}) => {
      if (decision.omitStages.includes(stage)) return;
      opts.sink.write({
        ...base,
        stage,
        ...extra,
        requestReceivedTimestamp: microTime(received),
        stageTimestamp: microTime(clock.now()),
      });
    };
    emit('RequestReceived');

    // Capture a failure's Status fields (bounded) as upstream's LogResponseObject does.
    let statusBody = '';
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      if (res.statusCode >= 400 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
        if (chunk.length <= maxStatusBody) statusBody = chunk.toString();
      }
      return end(...args);
    }) as typeof res.end;
    let completed = false;
    const complete = () => {
      if (completed) return;
      completed = true;
      const responseStatus: Record<string, unknown> = { metadata: {}, code: res.statusCode };
      if (statusBody) {
        try {
          const s = JSON.parse(statusBody) as Record<string, unknown>;
          if (s.kind === 'Status') {
            for (const k of ['status', 'message', 'reason', 'details']) {
              if (s[k] !== undefined) responseStatus[k] = s[k];
            }
          }
        } catch {
          // Not a Status body (e.g. the plain-text 429): the code says it all.
        }
      }
      emit('ResponseComplete', { responseStatus });
    };
    res.once('close', complete);
    res.once('finish', complete);
    await next();
    if (isLongRunning(info) && res.headersSent && !completed) {
      emit('ResponseStarted', { responseStatus: { metadata: {}, code: res.statusCode } });
    }
  };
}
