/**
 * The built-in simulations: every simulation of the four built-in SOPs, k = 3 trials each, a scripted customer
 * talking to the real AI agent led by the SOP runner, with the scripted model — deterministic and offline.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src/sop/library.js';
import { suiteFiles } from '../../src/simulate/format.js';
import { formatReport } from '../../src/simulate/report.js';
import { runSuite } from '../../src/simulate/run.js';
import { scriptedModel } from '../../src/simulate/scripted-model.js';
import { embeddedTrialStores, serverTrialStores } from '../../src/simulate/stores.js';
import { serverUrl } from '../support/db.js';

const SOPS = fileURLToPath(new URL('../../sops', import.meta.url));
const TRANSCRIPTS = join(tmpdir(), `sopdesk-simulations-${process.pid}`);

describe('the built-in simulation suite', () => {
  it('every simulation passes all 3 trials with the scripted customer and model', { timeout: 120_000 }, async () => {
    const library = loadLibrary(SOPS);
    const stores = serverUrl ? serverTrialStores(serverUrl) : embeddedTrialStores();
    try {
      const report = await runSuite({
        files: suiteFiles(library.list(), process.env.SIM_ONLY),
        library,
        stores,
        model: scriptedModel(),
        modelName: 'scripted',
        k: 3,
        concurrency: 2,
        outDir: TRANSCRIPTS,
      });
      const lines = formatReport(report);
      if (!report.ok) console.log(lines.join('\n'));
      expect(report.errors).toEqual([]);
      expect(report.simulations.filter((s) => s.passes < 3).map((s) => `${s.name}: ${s.trials.find((t) => !t.ok)?.failures.join('; ')}`)).toEqual([]);
      expect(report.simulations.length).toBeGreaterThanOrEqual(1);
    } finally {
      await stores.close();
    }
  });
});
