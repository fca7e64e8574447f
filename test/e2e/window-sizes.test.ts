/**
 * The inbox at the window sizes agents use: a 1024 px laptop (three columns, nothing clipped) and a 390 px phone
 * (one column), and its keyboard shortcuts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let fx: InboxFixture;
let other: InboxFixture;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  other = await loadInboxFixture((m, p, b) => e.request(m, p, b), '-sizes');
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
});
afterAll(() => e.close());

/** How much wider than the window the page is, and the order-line cells that stick out of their card or the window. */
const overflow = (p: Page) =>
  p.evaluate(`(() => ({
    pageWidth: document.documentElement.scrollWidth,
    window: window.innerWidth,
    clippedCells: [...document.querySelectorAll('article.order .lines th, article.order .lines td')].filter((c) => {
      const cell = c.getBoundingClientRect();
      const card = c.closest('article.order').getBoundingClientRect();
      return cell.right > card.right + 0.5 || cell.right > window.innerWidth + 0.5;
    }).length,
  }))()`) as Promise<{ pageWidth: number; window: number; clippedCells: number }>;
const hash = (p: Page) => p.evaluate('location.hash') as Promise<string>;

describe('window sizes', () => {
  for (const [width, height] of [
    [1024, 768],
    [390, 844],
  ] as const) {
    it(`at ${width} px the page is no wider than the window and the order lines' money and tracking are not clipped`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(`${e.url}/#/c/${fx.conversation.id}`);
      const card = page.getByRole('article', { name: `Order ${fx.partialOrder.name}` });
      await card
        .getByRole('link', { name: /^Track / })
        .first()
        .waitFor();
      await card.getByRole('columnheader', { name: /^Total/ }).waitFor();
      const o = await overflow(page);
      expect(o.pageWidth, JSON.stringify(o)).toBeLessThanOrEqual(o.window);
      expect(o.clippedCells, JSON.stringify(o)).toBe(0);
      // The tracking column is on screen, not scrolled away inside the sidebar.
      const track = await card
        .getByRole('link', { name: /^Track / })
        .first()
        .boundingBox();
      expect(track!.x + track!.width).toBeLessThanOrEqual(width);
      await shot(page, `screen-${width}px`);
      for (const view of ['#/handoffs', '#/returns', '#/settings', '#/approvals']) {
        await page.goto(`${e.url}/${view}`);
        await page.getByRole('navigation', { name: 'Main' }).waitFor();
        await page.waitForLoadState('networkidle');
        const v = await overflow(page);
        expect(v.pageWidth, `${view}: ${JSON.stringify(v)}`).toBeLessThanOrEqual(v.window);
      }
    });
  }
});

describe('keyboard shortcuts', () => {
  it('j opens the next conversation, r focuses the reply, a key typed in the reply is text, ? shows the sheet', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${e.url}/#/`);
    const list = page.getByRole('list', { name: 'Conversation list' });
    await list.getByRole('link').nth(1).waitFor();
    const ids = await list
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('#/c/', '')));
    expect(ids).toEqual(expect.arrayContaining([fx.conversation.id, other.conversation.id]));
    await page.keyboard.press('j');
    await expect.poll(() => hash(page)).toBe(`#/c/${ids[0]}`);
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    await page.keyboard.press('j');
    await expect.poll(() => hash(page)).toBe(`#/c/${ids[1]}`);
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    await page.keyboard.press('k');
    await expect.poll(() => hash(page)).toBe(`#/c/${ids[0]}`);

    await page.getByRole('list', { name: 'Messages' }).waitFor();
    await page.keyboard.press('r');
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await expect.poll(() => page.evaluate(`document.activeElement?.id`)).toBe('composer-text');
    // Typing is typing: j and e go into the reply, the conversation stays.
    await page.keyboard.type('je');
    expect(await reply.inputValue()).toBe('je');
    expect(await hash(page)).toBe(`#/c/${ids[0]}`);

    await reply.blur();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain('Next conversation');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });
});
