/** How often {@link lookAgain} asks. */
const LOOK_AGAIN_INTERVAL_MS = 100;

/**
 * Asks `check` until it answers true or `timeoutMs` passes; resolves with its last answer. For state that
 * arrives by event a moment after the request that needs it (an account, an upload), so a client that
 * acts at once is not refused.
 */
export async function lookAgain(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((wait) => setTimeout(wait, LOOK_AGAIN_INTERVAL_MS));
  }
}
