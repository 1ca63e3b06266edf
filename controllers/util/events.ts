/**
 * client-go's event spam filter (`EventSourceObjectSpamFilter`) around the framework's recorder:
 * each involved object may emit a burst of 25 events, then one more every 5 minutes; events over
 * the limit are dropped. Without it a ReplicaSet creating 5 000 pods would write 5 000
 * `SuccessfulCreate` events, which kube-controller-manager never does. Recording stays fire and
 * forget: {@link SpamFilteredRecorder.event} never rejects.
 */
import type { Clock, EventRecorder, EventType, KubernetesObject } from '../../framework/index.js';

export interface SpamFilterOptions {
  clock: Clock;
  /** Events per object before throttling (`defaultSpamBurst`). Default 25. */
  burst?: number;
  /** Refill interval of one event (`1 / defaultSpamQPS`). Default 5 min. */
  refillMs?: number;
  /** Objects remembered (`maxLruCacheEntries`). Default 4096. */
  maxObjects?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class SpamFilteredRecorder implements EventRecorder {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxObjects: number;

  constructor(
    private readonly inner: EventRecorder,
    private readonly options: SpamFilterOptions,
  ) {
    this.burst = options.burst ?? 25;
    this.refillMs = options.refillMs ?? 5 * 60 * 1000;
    this.maxObjects = options.maxObjects ?? 4096;
  }

  /** Records the event unless the object is over its budget; resolves when written or dropped. */
  event(object: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    if (!this.allow(object)) return Promise.resolve();
    return this.inner.event(object, type, reason, message);
  }

  private allow(object: KubernetesObject): boolean {
    const m = object.metadata ?? {};
    const key = `${object.apiVersion}/${object.kind}/${m.namespace}/${m.name}/${m.uid}`;
    const now = this.options.clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      if (this.buckets.size >= this.maxObjects) {
        this.buckets.delete(this.buckets.keys().next().value!);
      }
    } else {
      this.buckets.delete(key);
      const refilled = Math.floor((now - bucket.at) / this.refillMs);
      if (refilled > 0) {
        bucket.tokens = Math.min(this.burst, bucket.tokens + refilled);
        bucket.at += refilled * this.refillMs;
      }
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens <= 0) return false;
    bucket.tokens--;
    return true;
  }
}
