import { createApp, type AppOptions } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import type { Role } from '../../src/domain/roles.js';
import type { AppContext } from '../../src/app/context.js';

export interface TestApi {
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** The answer as it came (headers, bytes): for a route whose answer is not JSON. */
  raw(method: string, path: string, headers?: Record<string, string>): Promise<Response>;
  as(role: Role): Promise<TestApi>;
}

/** Calls the HTTP app in-process (no port) with a token of the given role; `options` can inject a tool catalogue. */
export async function testApi(ctx: AppContext, role: Role = 'admin', options: AppOptions = {}): Promise<TestApi> {
  const app = createApp(ctx, options);
  const { token } = await createToken(ctx, { role, name: `test-${role}` });
  const api: TestApi = {
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      const res = await app.request(path, init);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    raw: (method, path, headers = {}) =>
      Promise.resolve(app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...headers } })),
    as: (r) => testApi(ctx, r, options),
  };
  return api;
}
