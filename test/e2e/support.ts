/**
 * Browser tests: a real sopdesk server in this process on a free port (PGlite in memory, or PostgreSQL with
 * SOPDESK_TEST_DATABASE_URL), loaded with fixtures through the API, driven by Debian's Chromium via playwright-core.
 */
import { expect } from 'vitest';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AppContext } from '../../src/app/context.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createApp, type AppOptions } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import type { Role } from '../../src/domain/roles.js';
import { WEB_ROOT } from '../../src/cli/web-build.js';
import { openTestContext } from '../support/db.js';
import { startOutboxWorker } from '../../src/app/outbox/dispatch-outbox.js';
import { endLiveEvents } from '../../src/app/live/live-events.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** `npm run screenshots` refreshes docs/screenshots; a plain test run writes them to a temp dir, so it leaves the tree clean. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(process.cwd(), 'docs', 'screenshots')
  : join(tmpdir(), 'sopdesk-screenshots');

export interface E2E {
  ctx: Awaited<ReturnType<typeof openTestContext>>;
  url: string;
  browser: Browser;
  token(role: Role, name: string): Promise<string>;
  /** Calls the API with a token, like an integration or an AI agent would. */
  request(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `mount` adds routes in front of the app (e.g. a stand-in for an API another branch provides); `app` adds options of
 * the app (e.g. the chat widget's allowed origins), or makes them from the test's context (a simulation runner).
 */
export async function startE2E(
  opts: {
    mount?: (ctx: AppContext) => Record<string, Hono<any>>;
    app?: AppOptions | ((ctx: AppContext) => AppOptions);
  } = {},
): Promise<E2E> {
  // The journeys' webhook receivers run on this machine: private addresses allowed (SOPDESK_WEBHOOK_ALLOW_PRIVATE=true).
  const ctx = { ...(await openTestContext()), webhookReceivers: { allowPrivate: true } };
  const inner = createApp(ctx, { webRoot: WEB_ROOT, ...(typeof opts.app === 'function' ? opts.app(ctx) : opts.app) });
  const app = new Hono();
  for (const [path, routes] of Object.entries(opts.mount?.(ctx) ?? {})) app.route(path, routes);
  app.all('*', (c) => inner.fetch(c.req.raw, c.env));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const outbox = startOutboxWorker(ctx, { intervalMs: 100 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const admin = (await createToken(ctx, { role: 'admin', name: 'e2e-admin' })).token;
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    ctx,
    url,
    browser,
    token: async (role, name) => (await createToken(ctx, { role, name })).token,
    async request(method, path, body, token = admin) {
      const res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async close() {
      await browser.close();
      await endLiveEvents(ctx);
      await outbox.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await ctx.drop();
    },
  };
}

export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url + '/');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function openConversationByEmail(page: Page, email: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Find a customer, an order or a conversation' }).fill(email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('list', { name: 'Conversation list' }).getByRole('link').first().click();
  await page.getByRole('list', { name: 'Messages' }).waitFor();
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** The body of an API call made to set a journey up, which must succeed (the status and body are in the failure). */
export async function ok(p: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
}

/**
 * Why an unavailable action refuses, as a screen reader hears it (the button's aria-describedby: "Unavailable: …"),
 * without the prefix; null for an action that is available.
 */
export async function reasonOf(button: Locator): Promise<string | null> {
  const ids = await button.getAttribute('aria-describedby');
  if (!ids) return null;
  const texts = await Promise.all(ids.split(' ').map((id) => button.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(' ').replace(/^Unavailable: /, '');
}
