/**
 * The event recorder: Kubernetes `Event`s (core/v1) about objects, as `kubectl describe` shows
 * them. Like client-go's correlator, a repeat of the same event (same object, type, reason and
 * message) within 10 minutes increments `count` and `lastTimestamp` on the existing Event instead
 * of creating another. Recording never throws: failures are logged (an operator must not fail
 * because its events could not be written). No per-object spam filter yet.
 */
import { createLogger, isNotFound, realClock, type Clock } from '../../common/index.js';
import type { ApiClient } from './apiclient.js';
import { kinds } from './kinds.js';
import { rfc3339 } from './meta.js';
import { apiVersionOf, gvkOf, type KubernetesObject } from './types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Records an event about `object`; resolves when written (or given up). */
  event(object: KubernetesObject, type: EventType, reason: string, message: string): Promise<void>;
}

export interface RecorderOptions {
  /** `source.component` / `reportingComponent`, e.g. the controller's name. */
  component: string;
  /** `source.host` / `reportingInstance`. */
  host?: string;
  clock?: Clock;
}

const aggregationWindowMs = 10 * 60 * 1000;
const maxRemembered = 4096;
const log = createLogger({ component: 'events' });

export class Recorder implements EventRecorder {
  private readonly clock: Clock;
  private readonly seen = new Map<
    string,
    { name: string; namespace: string; count: number; at: number; first: string }
  >();
  private seq = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: RecorderOptions,
  ) {
    this.clock = options.clock ?? realClock;
  }

  async event(
    object: KubernetesObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    try {
      await this.write(object, type, reason, message);
    } catch (err) {
      log.warn({ err: String(err), reason }, 'could not record event');
    }
  }

  private async write(
    object: KubernetesObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = this.clock.now();
    const stamp = rfc3339(new Date(now));
    const involved = involvedObject(object);
    const key = JSON.stringify([
      involved.uid,
      involved.name,
      involved.namespace,
      type,
      reason,
      message,
    ]);
    const previous = this.seen.get(key);
    if (previous && now - previous.at < aggregationWindowMs) {
      previous.count++;
      previous.at = now;
      try {
        await this.client.patch(
          kinds.CoreEvent,
          previous.name,
          { count: previous.count, lastTimestamp: stamp },
          {
            namespace: previous.namespace,
          },
        );
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const namespace = object.metadata?.namespace || 'default';
    const name = `${object.metadata?.name ?? 'unknown'}.${(now * 1000 + (this.seq++ % 1000)).toString(16)}`;
    await this.client.create(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: involved,
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: stamp,
        lastTimestamp: stamp,
        source: { component: this.options.component, host: this.options.host },
        reportingComponent: this.options.component,
        reportingInstance: this.options.host ?? '',
      },
      { kind: kinds.CoreEvent },
    );
    this.seen.set(key, { name, namespace, count: 1, at: now, first: stamp });
    if (this.seen.size > maxRemembered) this.seen.delete(this.seen.keys().next().value!);
  }
}

function involvedObject(object: KubernetesObject) {
  const gvk = object.apiVersion && object.kind ? gvkOf(object) : undefined;
  return {
    apiVersion: gvk ? apiVersionOf(gvk) : undefined,
    kind: gvk?.kind,
    name: object.metadata?.name,
    namespace: object.metadata?.namespace,
    uid: object.metadata?.uid,
    resourceVersion: object.metadata?.resourceVersion,
  };
}
