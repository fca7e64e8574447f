import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../tools/catalogue.js';
import { coverageOf } from './coverage.js';
import { formatIssue } from './issues.js';
import { loadLibrary } from './library.js';
import { lintDocument } from './linter.js';
import { scenarioFiles } from './scenario.js';
import { dirname } from 'node:path';

const catalogue = TOOLS;
const lib = loadLibrary(fileURLToPath(new URL('../../sops', import.meta.url)));

describe('the four built-in SOPs', () => {
  it('parse', () => {
    expect(lib.issues.map(formatIssue)).toEqual([]);
    expect(
      lib
        .list()
        .map((d) => d.meta.id)
        .sort(),
    ).toEqual(['cancel-or-refund-order', 'change-purchased-product', 'handling-returns', 'marketplace-refund-kogan']);
  });

  for (const id of [
    'cancel-or-refund-order',
    'change-purchased-product',
    'handling-returns',
    'marketplace-refund-kogan',
  ]) {
    it(`${id} lints clean against the real tool catalogue`, () => {
      expect(lintDocument(lib.get(id)!, catalogue).map(formatIssue)).toEqual([]);
    });
  }

  it('the Handling Returns procedure: the two disclosures are said with the tracking id, and every reason is offered', () => {
    const doc = lib.get('handling-returns')!;
    const tell = doc.steps.find((s) => s.def.id === 'tell')!.def;
    expect(tell).toMatchObject({
      kind: 'say',
      disclosures: [
        expect.stringContaining('Shipping fees will not be refunded'),
        expect.stringContaining('approved first'),
      ],
    });
    expect(doc.steps.find((s) => s.def.id === 'reason')!.def).toMatchObject({
      options: ['DAMAGED', 'DEFECTIVE', 'WRONG_ITEM', 'ORDERED_BY_MISTAKE', 'OTHER'],
    });
    expect(doc.steps.find((s) => s.def.id === 'initiate')!.instructions).toContain('initiate_return');
  });

  it('the Kogan procedure: the ESG- number and the email are evidence, the portal step notes the 30-day window, a failed portal refund compensates the store refund', () => {
    const doc = lib.get('marketplace-refund-kogan')!;
    expect(doc.steps.find((s) => s.def.id === 'esg')!.def).toMatchObject({
      evidence: { esgNumber: { pattern: '^ESG-\\d+$' }, customerEmail: { type: 'email' } },
    });
    const portal = doc.steps.find((s) => s.def.id === 'portal_refund')!;
    expect(portal.instructions).toContain('30 days');
    expect(doc.steps.find((s) => s.def.id === 'store_refund')!.def).toMatchObject({
      compensate: { tool: 'transfer_to_human_representative' },
    });
  });

  it('every built-in has scenario files that parse', () => {
    for (const d of lib.list()) {
      const files = scenarioFiles(dirname(d.file));
      expect(files.length).toBeGreaterThan(1);
      expect(files.filter((f) => f.error)).toEqual([]);
    }
    expect(coverageOf(lib.get('handling-returns')!, []).steps.total).toBe(27);
  });
});
