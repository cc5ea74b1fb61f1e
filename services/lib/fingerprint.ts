/** A forward call's request fingerprint, stored with its barrier row so a repeat can be told from a reuse. */
import { createHash } from 'node:crypto';

/** Canonical JSON: keys sorted, arrays of objects sorted (item order is not part of what a request asks for). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((item) => typeof item === 'object' && item !== null)
      ? items.map((item) => JSON.stringify(item)).sort()
      : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** sha256 (hex) of the validated request without its branch (the branch is the barrier row's key already). */
export function requestFingerprint<Request extends { branch: unknown }>(request: Request): string {
  const { branch: _branch, ...content } = request;
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}
