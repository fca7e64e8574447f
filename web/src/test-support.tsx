/**
 * For the component tests: a stand-in for the API that answers `METHOD /path` with a status and a JSON body, records
 * every request, and a render inside a fresh TanStack Query client. The browser journeys (test/e2e) run the real server.
 */
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { vi } from 'vitest';
import { newQueryClient } from './api/queries';

export interface Sent {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}
type Answer = { status?: number; body?: unknown } | ((sent: Sent) => { status?: number; body?: unknown });

/** `routes`: "POST /v1/tools/refund_order" → answer; the path is matched without its query. Anything else is a 404. */
export function fakeApi(routes: Record<string, Answer>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const text = await request.text();
    const s: Sent = {
      method: request.method,
      path: url.pathname + url.search,
      body: text ? JSON.parse(text) : undefined,
      headers: request.headers,
    };
    sent.push(s);
    const route = routes[`${request.method} ${url.pathname}`];
    const answer =
      typeof route === 'function'
        ? route(s)
        : (route ?? {
            status: 404,
            body: { error: { code: 'not_found', message: `No route ${request.method} ${url.pathname}` } },
          });
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return sent;
}

export function renderWithQueries(ui: ReactNode) {
  return render(<QueryClientProvider client={newQueryClient()}>{ui}</QueryClientProvider>);
}
