/**
 * Per-client rate limits of the HTTP API: @fastify/rate-limit with a token-bucket store (its own store counts fixed
 * windows, which let a client send twice its budget across a window edge). A client is the API key it presents
 * (`x-api-key` or `Authorization: Bearer`; without DTX_API_KEY an unchecked label), else its address. Writes and reads
 * (GET/HEAD) have separate buckets and budgets; liveness, readiness and metrics are never limited. Over the limit: 429
 * TOO_MANY_REQUESTS (reason RATE_LIMITED) in the API's error shape, with Retry-After, from the onRequest hook — before
 * the body is read and before any handler, so nothing is written anywhere. The in-flight cap on new orders is
 * api/operations/admission.ts.
 */
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdmissionConfig } from '../../common/config';
import { admissionRejections } from '../operations/admission';
import { tooManyRequests } from '../operations/errors';

/** Paths no budget applies to (supervisors and scrapers poll them). */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** Buckets kept (least recently used first out): a client forgotten starts with a full bucket. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key in @fastify/rate-limit's store interface: `max` is the bucket size, `timeWindow` the time to
 * refill it from empty (so rate = max / timeWindow). `current` > `max` means refused; `ttl` is then the time until
 * the next token (the plugin's Retry-After), else the time until the bucket is full again.
 */
export class TokenBucketStore {
  private readonly buckets = new Map<string, Bucket>();

  incr(
    key: string,
    callback: (error: Error | null, result: { current: number; ttl: number }) => void,
    timeWindow: number,
    max: number,
  ): void {
    const now = Date.now();
    const perMs = max / Math.max(timeWindow, 1);
    const bucket = this.buckets.get(key) ?? { tokens: max, at: now };
    bucket.tokens = Math.min(max, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    // re-inserted: the Map's order is the recency order the eviction below relies on
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      callback(null, {
        current: max - Math.floor(bucket.tokens),
        ttl: Math.ceil((max - bucket.tokens) / perMs),
      });
    } else {
      callback(null, { current: max + 1, ttl: Math.ceil((1 - bucket.tokens) / perMs) });
    }
  }

  /** Each route configuration would get a child; dtx configures buckets globally, so they share one map. */
  child(): TokenBucketStore {
    return this;
  }
}

const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';

/** The client a request counts against: a digest of its API key (never the key itself), else its address. */
export function clientOf(request: FastifyRequest): string {
  const apiKey = request.headers['x-api-key'];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const key = typeof apiKey === 'string' && apiKey !== '' ? apiKey : bearer;
  if (key !== undefined) return `key:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

/** Registers the per-client limits; call before the routes are added (the plugin hooks each route as it is added). */
export async function registerRateLimits(app: FastifyInstance, admission: AdmissionConfig): Promise<void> {
  const { read, write } = admission;
  if (read.rate === 0 && write.rate === 0) return;
  const budget = (request: FastifyRequest) => (isRead(request) ? read : write);
  await app.register(rateLimit, {
    global: true,
    store: TokenBucketStore,
    keyGenerator: (request) => `${isRead(request) ? 'read' : 'write'}:${clientOf(request)}`,
    allowList: (request) => UNLIMITED_PATHS.has(request.url.split('?')[0]) || budget(request).rate === 0,
    max: (request) => budget(request).burst,
    // the time to refill a bucket from empty: burst / rate seconds
    timeWindow: (request) => (budget(request).burst / Math.max(budget(request).rate, 1)) * 1000,
    errorResponseBuilder: (request, context) => {
      admissionRejections.inc({ reason: 'RATE_LIMITED' });
      const { rate } = budget(request);
      const kind = isRead(request) ? 'reads' : 'writes';
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return tooManyRequests(
        'RATE_LIMITED',
        `rate limit: at most ${rate} ${kind} a second per client (bursts of ${context.max}); try again in ${seconds} s`,
        seconds,
      );
    },
  });
}
