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
  it('an admin runs one SOP’s simulations, watches them finish, and reads a transcript with its trace', {
    timeout: 180_000,
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
      .poll(() => runs.textContent(), { timeout: 150_000, interval: 500 })
      .toContain('finished · 3 / 3 trials · 3 passed · 0 failed');
    await shot(page, 'simulations');

    await page
      .getByRole('button', {
        name: 'Transcript of a Kogan refund goes to a person for its manual steps, trial 1 (passed)',
      })
      .click();
    const transcript = page.getByRole('article', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('I bought on Kogan and need a marketplace refund');
    expect(await page.getByLabel('Trace of turn 1').textContent()).toContain(
      'model choose_sop #1: start_procedure {"sopId":"marketplace-refund-kogan"}',
    );
  });
});
