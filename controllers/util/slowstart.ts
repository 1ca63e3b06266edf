/**
 * `slowStartBatch`: calls `fn` `count` times in batches of 1, 2, 4, … (starting at
 * `initialBatchSize`), each batch concurrently. After a batch with any failure the remaining
 * batches are skipped, so a quota or admission error costs one request, not hundreds.
 *
 * Resolves with the number of successful calls and the first error seen (undefined when all
 * succeeded); never rejects.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: (index: number) => Promise<void>,
): Promise<{ successes: number; error: unknown }> {
  let remaining = count;
  let successes = 0;
  let started = 0;
  for (
    let size = Math.min(remaining, initialBatchSize);
    size > 0;
    size = Math.min(2 * size, remaining)
  ) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn(started++)));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= size;
  }
  return { successes, error: undefined };
}
