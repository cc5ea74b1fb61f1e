/** A small HTTP client of the dtx API for scripts (the demo): place an order, read it back, readiness. */
import type { OrderView, PlaceOrderBody, PlaceOrderResponse } from '../api/operations/schemas';

const REQUEST_TIMEOUT_MS = 60_000;

/** A non-2xx answer, with the API's error message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`HTTP ${status}: ${message}`);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  private async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        const parsed = JSON.parse(text) as ErrorBody;
        message = parsed.error ? `${parsed.error.code ?? ''} ${parsed.error.message ?? ''}`.trim() : text;
      } catch {
        // not JSON: keep the text
      }
      throw new ApiError(response.status, message);
    }
    return JSON.parse(text) as T;
  }

  /** POST /v1/orders?wait=true with an Idempotency-Key: 200 with the outcome, or 202 if it is still running. */
  placeOrder(body: PlaceOrderBody, idempotencyKey: string): Promise<PlaceOrderResponse> {
    return this.request('POST', '/v1/orders?wait=true', {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  getOrder(orderId: string): Promise<OrderView> {
    return this.request('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
  }

  /** True when /readyz answers 200. */
  async ready(): Promise<boolean> {
    try {
      await this.request('GET', '/readyz');
      return true;
    } catch {
      return false;
    }
  }
}
