/** What the `bench:controllers` sections share (see `controllers.ts`). */

/** What a section gets. */
export interface BenchContext {
  /** `http://127.0.0.1:<port>` of the API server process. */
  readonly url: string;
  print(line: string): void;
}

export interface BenchSection {
  readonly name: string;
  run(ctx: BenchContext): Promise<void>;
}

/** Seconds the upstream client needs for `requests` at 20 QPS with a burst of 30. */
export function upstreamClientSeconds(requests: number, qps = 20, burst = 30): number {
  return Math.max(0, requests - burst) / qps;
}
