/** Runs every cleanup (last registered first) even when some fail; rethrows the first failure afterwards. */
export async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  let firstError: Error | undefined;
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      firstError ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  if (firstError !== undefined) throw firstError;
}
