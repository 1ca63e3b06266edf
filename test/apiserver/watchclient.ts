/**
 * A minimal watch client for tests: opens a watch with fetch, splits the body into lines, and
 * lets a test await events one by one (with a real-time cap so a broken server fails the test
 * instead of hanging it).
 */
export interface WatchEvent {
  type: string;
  object: any;
}

export interface TestWatch {
  status: number;
  headers: Headers;
  /** The next event; rejects when the stream ends first or after `timeoutMs` of real time. */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Resolves when the server ends the stream (after any unread events). */
  ended: Promise<void>;
  /** Events received but not yet taken with next(). */
  buffered(): WatchEvent[];
  close(): void;
}

export async function openWatch(
  url: string,
  headers: Record<string, string> = {},
): Promise<TestWatch> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const queue: WatchEvent[] = [];
  const waiters: Array<(e: WatchEvent | Error) => void> = [];
  let done = false;
  let endResolve!: () => void;
  const ended = new Promise<void>((r) => (endResolve = r));
  const deliver = (e: WatchEvent | Error) => {
    const w = waiters.shift();
    if (w) w(e);
    else if (!(e instanceof Error)) queue.push(e);
  };
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buf += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) deliver(JSON.parse(line) as WatchEvent);
        }
      }
    } catch {
      // aborted
    }
    done = true;
    endResolve();
    while (waiters.length) waiters.shift()!(new Error('watch ended'));
  })();
  return {
    status: res.status,
    headers: res.headers,
    ended,
    buffered: () => [...queue],
    next(timeoutMs = 5000) {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      if (done) return Promise.reject(new Error('watch ended'));
      return new Promise<WatchEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(cb);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error('no watch event in time'));
        }, timeoutMs);
        const cb = (e: WatchEvent | Error) => {
          clearTimeout(timer);
          if (e instanceof Error) reject(e);
          else resolve(e);
        };
        waiters.push(cb);
      });
    },
    close: () => abort.abort(),
  };
}
