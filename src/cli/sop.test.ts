import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './config.js';
import { sopCommand } from './sop.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
  return out;
}
afterEach(() => vi.restoreAllMocks());

describe('sopdesk sop', () => {
  it('import writes a draft that lint holds back until its appliesWhen is written, then accepts (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sop-cli-'));
    try {
      const out = capture();
      const draft = join(dir, 'draft.md');
      expect(
        await sopCommand(['import', join(fixtures, '001_b302de947f0f55cb.txt'), '--out', draft], loadConfig()),
      ).toBe(0);
      const text = readFileSync(draft, 'utf8');
      expect(text).toContain('## 5. Go to Kogan communication thread');
      // The article never says when it applies: lint names the one field the lead still has to write.
      expect(await sopCommand(['lint', draft], loadConfig())).toBe(1);
      expect(out.join('')).toMatch(
        /draft\.md:\d+: front matter: appliesWhen is a draft field to write.*\[unwritten_field\]/,
      );
      writeFileSync(draft, text.replace(/appliesWhen: .*/, 'appliesWhen: a Kogan customer asks for a refund'));
      out.length = 0;
      expect(await sopCommand(['lint', draft], loadConfig())).toBe(0);
      expect(out.join('')).toContain('1 SOP file(s), 0 problem(s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lint prints file:line: message [code] and exits 1 on problems', async () => {
    const out = capture();
    const file = join(fixtures, 'sops/two-system-refund/sop.md');
    expect(await sopCommand(['lint', file], loadConfig())).toBe(1);
    expect(out.join('')).toMatch(
      /two-system-refund\/sop\.md:\d+: step "market_refund": no tool "marketplace_refund" in the catalogue.*\[unknown_tool\]/,
    );
  });

  it('--help and -h print the usage and exit 0; an unknown command exits 2', async () => {
    const out = capture();
    expect(await sopCommand(['--help'], loadConfig())).toBe(0);
    expect(await sopCommand(['-h'], loadConfig())).toBe(0);
    expect(out.join('')).toContain('usage: sopdesk sop <command>');
    expect(await sopCommand(['frobnicate'], loadConfig())).toBe(2);
  });

  it('list and show read SOPDESK_SOPS_DIR', async () => {
    vi.stubEnv('SOPDESK_SOPS_DIR', join(fixtures, 'sops'));
    const out = capture();
    expect(await sopCommand(['list'], loadConfig())).toBe(0);
    expect(await sopCommand(['show', 'two-system-refund'], loadConfig())).toBe(0);
    expect(out.join('')).toContain('two-system-refund');
    expect(out.join('')).toContain('board [manual] Log it on the work board');
    expect(await sopCommand(['show', 'nope'], loadConfig())).toBe(2);
    vi.unstubAllEnvs();
  });
});
