/**
 * Delivery to one handler, with a bounded buffer (the documented policy):
 *
 * - A handler that returns at once is called synchronously, in event order.
 * - While a handler is busy (its callback returned a promise that has not settled), notifications
 *   for it wait in a buffer **keyed by object**. A newer notification for an object already waiting
 *   is merged into the waiting one, so the handler still sees a valid transition:
 *   add+update → add, add+delete → nothing, update+update → update(first old, last new),
 *   update+delete → delete, delete+add → update(deleted, new).
 * - Hence the buffer holds at most one entry per object: its size is bounded by the number of
 *   objects, never by the event rate, and nothing is dropped in the level-based sense (the handler
 *   always ends up with the latest state). It may skip intermediate states, which client-go's
 *   contract already allows. Above `bufferSize` waiting objects a warning is logged once.
 * - Other handlers are never held back by a slow one.
 */
import { createLogger } from '../../common/index.js';
import type { ResourceEventHandler } from './types.js';

type Note<T> =
  | { kind: 'add'; obj: Readonly<T>; initial: boolean }
  | { kind: 'update'; old: Readonly<T>; obj: Readonly<T> }
  | { kind: 'delete'; obj: Readonly<T>; unknown: boolean }
  | { kind: 'marker'; fire: () => void };

const log = createLogger({ component: 'informer' });

export class Listener<T> {
  private readonly pending = new Map<string, Note<T>>();
  private busy = false;
  private stopped = false;
  private warned = false;
  private markerSeq = 0;

  constructor(
    private readonly handler: ResourceEventHandler<T>,
    private readonly bufferSize: number,
  ) {}

  get waiting(): number {
    return this.pending.size;
  }

  add(key: string, obj: Readonly<T>, initial: boolean): void {
    this.push(key, { kind: 'add', obj, initial });
  }

  update(key: string, old: Readonly<T>, obj: Readonly<T>): void {
    this.push(key, { kind: 'update', old, obj });
  }

  delete(key: string, obj: Readonly<T>, unknown: boolean): void {
    this.push(key, { kind: 'delete', obj, unknown });
  }

  /** Calls `fire` once everything queued before it was delivered. */
  marker(fire: () => void): void {
    this.push(`\u0000marker${this.markerSeq++}`, { kind: 'marker', fire });
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private push(key: string, note: Note<T>): void {
    if (this.stopped) return;
    const prev = this.pending.get(key);
    if (prev) {
      const merged = merge(prev, note);
      if (merged) this.pending.set(key, merged);
      else this.pending.delete(key);
    } else {
      this.pending.set(key, note);
      if (this.pending.size > this.bufferSize && !this.warned) {
        this.warned = true;
        log.warn({ waiting: this.pending.size }, 'a slow event handler has many objects waiting');
      }
    }
    if (!this.busy) this.drain();
  }

  private drain(): void {
    this.busy = true;
    while (!this.stopped) {
      const first = this.pending.entries().next();
      if (first.done) break;
      const [key, note] = first.value;
      this.pending.delete(key);
      let result: void | Promise<void>;
      try {
        result = this.deliver(note);
      } catch (err) {
        log.error({ err }, 'event handler threw; notification skipped');
        continue;
      }
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(
          () => this.drain(),
          (err: unknown) => {
            log.error({ err }, 'event handler failed; notification skipped');
            this.drain();
          },
        );
        return;
      }
    }
    this.busy = false;
    if (this.pending.size <= this.bufferSize) this.warned = false;
  }

  private deliver(note: Note<T>): void | Promise<void> {
    switch (note.kind) {
      case 'add':
        return this.handler.onAdd?.(note.obj, note.initial);
      case 'update':
        return this.handler.onUpdate?.(note.old, note.obj);
      case 'delete':
        return this.handler.onDelete?.(note.obj, note.unknown);
      case 'marker':
        return note.fire();
    }
  }
}

function merge<T>(prev: Note<T>, next: Note<T>): Note<T> | undefined {
  if (prev.kind === 'marker' || next.kind === 'marker') return next;
  switch (prev.kind) {
    case 'add':
      if (next.kind === 'delete') return undefined;
      return { kind: 'add', obj: next.obj, initial: prev.initial };
    case 'update':
      if (next.kind === 'delete') return next;
      return { kind: 'update', old: prev.old, obj: next.obj };
    case 'delete':
      if (next.kind === 'delete') return next;
      return { kind: 'update', old: prev.obj, obj: next.obj };
  }
}
