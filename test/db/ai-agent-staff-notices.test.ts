/**
 * What an SOP outcome says when it sends the run back to a manual step (copy the reference again) is for the person
 * who does that step, never for the customer: the Kogan flow where a person copies a wrong ESG number first, run by the
 * AI agent with the scripted customer and model.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { suiteFiles } from '../../src/simulate/format.js';
import { runSuite } from '../../src/simulate/run.js';
import { scriptedModel } from '../../src/simulate/scripted-model.js';
import { embeddedTrialStores, serverTrialStores } from '../../src/simulate/stores.js';
import type { Outcome } from '../../src/sop/format.js';
import { loadLibrary } from '../../src/sop/library.js';
import { serverUrl } from '../support/db.js';

const library = loadLibrary(fileURLToPath(new URL('../../sops', import.meta.url)));
const stores = serverUrl ? serverTrialStores(serverUrl) : embeddedTrialStores();
afterAll(() => stores.close());

/** The fixed words of every built-in outcome that goes back to a manual step (the text between placeholders). */
function staffNotices(): string[] {
  return library.list().flatMap((doc) => {
    const manual = new Set(doc.steps.filter((s) => s.def.kind === 'manual').map((s) => s.def.id));
    return doc.steps.flatMap((s) => {
      const outcomes = Object.values(s.def).filter(
        (v): v is Outcome => typeof v === 'object' && v !== null && 'say' in v && 'goto' in v,
      );
      return outcomes
        .filter((o) => o.say && o.goto && manual.has(o.goto))
        .flatMap((o) => o.say!.split(/\{\{[^}]*\}\}/).map((w) => w.replace(/^\W+/, '').trim()))
        .filter((w) => w.length > 12);
    });
  });
}

describe('staff-facing notices', () => {
  it('no built-in outcome that sends a person back to a manual step is said to the customer', {
    timeout: 300_000,
  }, async () => {
    const notices = staffNotices();
    expect(notices).toContain('Copy the ESG number again.');
    const files = suiteFiles(library.list(), 'marketplace-refund-kogan').filter((f) =>
      f.file.endsWith('03-refund-in-both-systems.yaml'),
    );
    const report = await runSuite({ files, library, stores, model: scriptedModel(), modelName: 'scripted', k: 1 });
    const trial = report.simulations[0]!.trials[0]!;
    expect(trial.runs.flatMap((r) => r.edges)).toContain('esg_matches -> esg (check failed)');
    const replies = trial.conversation.flatMap((t) => t.agent);
    for (const n of notices)
      expect(
        replies.filter((r) => r.includes(n)),
        n,
      ).toEqual([]);
  });
});
