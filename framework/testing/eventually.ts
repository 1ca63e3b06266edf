/**
 * Waits for a condition that depends on a real network peer (an API server in this process, a
 * child process): polls every few milliseconds and fails with `what` after `timeoutMs` of wall
 * time. For anything driven by the framework's own timers, use a FakeClock instead.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
