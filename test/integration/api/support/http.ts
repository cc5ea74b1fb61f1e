/** The API on an ephemeral port, and a small fetch helper returning status, headers and parsed JSON. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../../../api/http/server';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // the body is whatever the API answered; tests assert on its fields
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function startApi(options: AppOptions): Promise<RunningApi> {
  const app = await buildApp(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    async request(method, path, { body, rawBody, headers = {} } = {}) {
      const hasBody = body !== undefined || rawBody !== undefined;
      const response = await fetch(`${url}${path}`, {
        method,
        headers: hasBody ? { 'content-type': 'application/json', ...headers } : headers,
        body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON (e.g. the docs page): keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    close: () => app.close(),
  };
}
