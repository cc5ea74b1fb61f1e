/** Runs every cleanup (last registered first) even when some fail; rethrows the first failure afterwards. */
export async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  let firstError: unknown;
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}
