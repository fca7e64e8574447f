/**
 * The Simulations page in a browser: an admin runs one small SOP's simulations (scripted customer and model, on trial
 * stores), watches the trials finish, and opens a transcript with the agent's trace beside each turn.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { simulationRunner } from '../../src/simulate/background.js';
import { loadLibrary } from '../../src/sop/library.js';
import { shot, signIn, startE2E, type E2E } from './support.js';

const library = loadLibrary(fileURLToPath(new URL('../../sops', import.meta.url)));
let e: E2E;
let page: Page;

beforeAll(async () => {
  e = await startE2E({ app: (ctx) => ({ simulations: simulationRunner(ctx, { library }) }) });
  page = await e.newPage();
}, 120_000);
afterAll(() => e.close());

describe('the Simulations page', () => {
  it('an admin runs one SOP’s simulations, watches them finish, and reads a transcript with its trace and the team’s turns', {
    timeout: 360_000,
  }, async () => {
    await signIn(page, e.url, await e.token('admin', 'Lead'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Simulations' }).click();
    const form = page.getByRole('form', { name: 'Run simulations' });
    await form.getByRole('combobox').selectOption('marketplace-refund-kogan');
    await form.getByRole('spinbutton').fill('1');
    await form.getByRole('button', { name: 'Run' }).click();

    // The page polls the run: its trials finish on trial stores, and the list says so.
    const runs = page.getByRole('list', { name: 'Simulation runs' });
    await expect
      .poll(() => runs.textContent(), { timeout: 300_000, interval: 500 })
      .toContain('finished · 12 / 12 trials · 12 passed · 0 failed');
    await shot(page, 'simulations');

    await page
      .getByRole('button', {
        name: 'Transcript of a Kogan refund done in both systems, a person doing the manual steps and handing back each time, trial 1 (passed)',
      })
      .click();
    const transcript = page.getByRole('article', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('I bought on Kogan and need a marketplace refund');
    // The team's turns are shown as theirs: the person who did the manual step and handed back.
    expect(await transcript.textContent()).toContain('Team: ticket: a person gave {"ticketRef":"KOG-5521"}');
    expect(await page.getByLabel('Trace of turn 1', { exact: true }).textContent()).toContain(
      'model choose_sop #1: start_procedure {"sopId":"marketplace-refund-kogan"}',
    );
  });
});
