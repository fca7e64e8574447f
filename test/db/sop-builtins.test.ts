import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadLibrary } from '../../src/sop/library.js';
import { testSops } from '../../src/sop/test-sops.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { openTestDatabase } from '../support/db.js';
import { builtinCatalogue } from '../support/agreed-catalogue.js';
import { TOOLS } from '../../src/tools/catalogue.js';

// The real tools once they are all merged; the stand-ins until then.
const { catalogue, real } = builtinCatalogue(TOOLS);

const sops = fileURLToPath(new URL('../../sops', import.meta.url));

describe(`the built-in SOPs’ scenarios (on ${real ? 'the real tool catalogue' : 'stand-ins for the order tools, until those are merged'})`, () => {
  it('all pass, and every step of every built-in is reached by a scenario', async () => {
    const report = await testSops({
      library: loadLibrary(sops),
      catalogue,
      freshContext: async (now) => {
        const t = await openTestDatabase();
        return { database: t.database, clock: new FixedClock(now), close: t.drop };
      },
    });
    const failures = report.sops.flatMap((s) => [...s.lint, ...s.scenarios.flatMap((x) => x.problems.map((p) => `${s.id} / ${x.name}: ${p}`))]);
    expect(failures).toEqual([]);
    expect(report.sops.map((s) => [s.id, s.scenarios.length, s.coverage.steps.missing])).toEqual([
      ['cancel-or-refund-order', 6, []],
      ['change-purchased-product', 2, []],
      ['handling-returns', 4, []],
      ['marketplace-refund-kogan', 2, []],
    ]);
    expect(report.ok).toBe(true);
  }, 300_000);
});
