import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadLibrary } from '../../src/sop/library.js';
import { testSops } from '../../src/sop/test-sops.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { openTestDatabase } from '../support/db.js';
import { builtinIms } from '../../src/connectors/ims/builtin.js';
import { TOOLS } from '../../src/tools/catalogue.js';

const catalogue = TOOLS;

const sops = fileURLToPath(new URL('../../sops', import.meta.url));

describe('the built-in SOPs’ scenarios, on the real tool catalogue', () => {
  it('all pass, and every step of every built-in is reached by a scenario', async () => {
    const report = await testSops({
      library: loadLibrary(sops),
      catalogue,
      freshContext: async (now) => {
        const t = await openTestDatabase();
        const clock = new FixedClock(now);
        return { database: t.database, clock, ims: builtinIms(t.database, clock), close: t.drop };
      },
    });
    const failures = report.sops.flatMap((s) => [
      ...s.lint,
      ...s.scenarios.flatMap((x) => x.problems.map((p) => `${s.id} / ${x.name}: ${p}`)),
    ]);
    expect(failures).toEqual([]);
    expect(report.sops.map((s) => [s.id, s.scenarios.length, s.coverage.steps.missing])).toEqual([
      ['cancel-or-refund-order', 12, []],
      ['change-purchased-product', 3, []],
      ['handling-returns', 7, []],
      ['marketplace-refund-kogan', 14, []],
    ]);
    // Branches left: the tools' own rules already passed a step earlier (eligibility checked before the
    // return; the sync reports its change and the code is listed after a swap), so no real refusal reaches them.
    expect(Object.fromEntries(report.sops.map((s) => [s.id, s.coverage.branches.missing]))).toEqual({
      'cancel-or-refund-order': [],
      'change-purchased-product': [
        expect.stringMatching(/^sync_changed -> /),
        expect.stringMatching(/^code_listed -> /),
      ],
      'handling-returns': [expect.stringMatching(/^initiate -> satisfied/)],
      // The board's tool refuses only when no board is configured, which the branch before it rules out.
      'marketplace-refund-kogan': ['board_log -> board (tool refused)'],
    });
    expect(report.ok).toBe(true);
  }, 600_000);
});
