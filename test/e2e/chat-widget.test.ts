import { createHmac } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_SCRIPT } from '../../src/cli/widget-build.js';
import { ok, shot, startE2E, type E2E } from './support.js';

const SECRET = 'e2e-widget-secret-0123456789abcdef01234567';
const sign = (value: string) => createHmac('sha256', SECRET).update(value).digest('hex');

let e: E2E;
let store: { url: string; close(): Promise<void> };
let agentToken: string;

/**
 * A storefront on its own origin (another port), with CSS that would wreck a widget living in the page's DOM, and the
 * widget's script tag with the attributes the query string gives (`?user=…&hash=…`).
 */
async function startStorefront(desk: () => string) {
  const app = new Hono().get('/', (c) => {
    const user = c.req.query('user');
    const hash = c.req.query('hash');
    // Polling is only the fallback: slow here unless a test asks, so a reply that arrives came over the stream.
    const attrs = [
      `data-poll-ms="${Number(c.req.query('poll')) || 600_000}"`,
      ...(user ? [`data-user-email="${user}"`, `data-user-hash="${hash}"`] : []),
    ].join(' ');
    return c.html(`<!doctype html><html lang="en"><head><title>Test shop</title>
<style>* { color: #0f0 !important; font-size: 40px !important } button, textarea, input { display: none !important }</style>
</head><body><h1>Test shop</h1><script src="${desk()}/widget.js" ${attrs}></script></body></html>`);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function openShop(browser: Browser, query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${store.url}/${query}`);
  return page;
}

beforeAll(async () => {
  let deskUrl = '';
  store = await startStorefront(() => deskUrl);
  e = await startE2E({ app: { widget: { script: WIDGET_SCRIPT, origins: [store.url], secret: SECRET } } });
  deskUrl = e.url;
  agentToken = await e.token('agent', 'Alex');
});
afterAll(async () => {
  await e.close();
  await store.close();
});

const chatConversations = async (email: string) =>
  (await ok(e.request('GET', `/v1/conversations?channel=chat&q=${encodeURIComponent(email)}`))).items;

describe('chat widget on a storefront, in a browser', () => {
  it("a visitor's message reaches the inbox, the agent's reply reaches the widget, and the chat survives a reload", async () => {
    const page = await openShop(e.browser);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/widget/v1/')) asked.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    const launcher = page.getByRole('button', { name: 'Chat with us' });
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const dialog = page.getByRole('dialog', { name: 'Chat with support' });
    // The email field has focus first, and the store's CSS did not hide the widget's controls.
    const focused = "document.querySelector('sopdesk-chat')?.shadowRoot?.activeElement?.id";
    await expect.poll(() => page.evaluate(focused)).toBe('sd-email');
    await dialog.getByLabel('Your email').fill('visitor@example.com');
    await dialog.getByLabel('Message').fill('Hi, where is my order?');
    await dialog.getByLabel('Message').press('Enter');
    const log = dialog.getByRole('log');
    await expect.poll(() => log.textContent()).toContain('Hi, where is my order?');

    await expect.poll(async () => (await chatConversations('visitor@example.com')).length).toBe(1);
    const [conversation] = await chatConversations('visitor@example.com');
    expect(conversation).toMatchObject({ channel: 'chat', customerVerified: false });
    await ok(
      e.request('POST', `/v1/conversations/${conversation.id}/replies`, { body: 'It ships today!' }, agentToken),
    );
    // Pushed over the visitor's event stream within moments; the widget never polled for it.
    await expect.poll(() => log.textContent(), { timeout: 5000 }).toContain('It ships today!');
    expect(asked).toContain('GET /widget/v1/events');
    expect(asked).not.toContain('GET /widget/v1/messages');
    await shot(page, 'chat-widget');

    // Closed with Escape: focus goes back to the launcher. A reload keeps the conversation (the visitor token).
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement?.shadowRoot?.activeElement?.className')).toBe('launch');
    await page.reload();
    await page.getByRole('button', { name: /Chat with us/ }).click();
    await expect.poll(() => page.getByRole('log').textContent()).toContain('It ships today!');
    expect(await page.getByLabel('Your email').isVisible()).toBe(false);
    await page.getByLabel('Message').fill('Thanks!');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(async () => (await ok(e.request('GET', `/v1/conversations/${conversation.id}`))).messages.length)
      .toBe(3);
  });

  it('a logged-in customer signed by the store is verified; a forged hash is refused', async () => {
    await ok(e.request('POST', '/v1/customers', { name: 'Olivia Chen', emails: ['olivia@example.com'] }));
    const page = await openShop(e.browser, `?user=olivia@example.com&hash=${sign('olivia@example.com')}`);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    expect(await page.getByLabel('Your email').isVisible()).toBe(false);
    await page.getByLabel('Message').fill('Please cancel my order');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(async () => (await chatConversations('olivia@example.com')).length).toBe(1);
    expect((await chatConversations('olivia@example.com'))[0]).toMatchObject({ customerVerified: true });

    const forged = await openShop(e.browser, `?user=olivia@example.com&hash=${sign('someone@example.com')}`);
    await forged.getByRole('button', { name: 'Chat with us' }).click();
    await forged.getByLabel('Message').fill('I am Olivia');
    await forged.getByLabel('Message').press('Enter');
    await expect.poll(() => forged.getByRole('alert').textContent()).toContain('not available');
    expect(await chatConversations('olivia@example.com')).toHaveLength(1);
  });

  it('falls back to polling when the event stream cannot be opened', async () => {
    const page = await openShop(e.browser, '?poll=300');
    await page.route('**/widget/v1/events*', (route) => route.abort());
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await page.getByLabel('Your email').fill('fallback@example.com');
    await page.getByLabel('Message').fill('Anyone there?');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(async () => (await chatConversations('fallback@example.com')).length).toBe(1);
    const [conversation] = await chatConversations('fallback@example.com');
    await ok(
      e.request('POST', `/v1/conversations/${conversation.id}/replies`, { body: 'Yes, polling works.' }, agentToken),
    );
    await expect.poll(() => page.getByRole('log').textContent()).toContain('Yes, polling works.');
  });
});
