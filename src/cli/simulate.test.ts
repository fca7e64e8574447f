import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './config.js';
import { simulateCommand } from './simulate.js';

afterEach(() => vi.restoreAllMocks());

describe('sopdesk simulate', () => {
  it('the simulated customer’s model has its own settings, SOPDESK_SIM_*, read and refused as the agent’s are', async () => {
    vi.stubEnv('SOPDESK_SIM_PROVIDER', 'openai-compatible');
    try {
      await expect(simulateCommand(['--sop', 'handling-returns'], loadConfig({}))).rejects.toThrow(
        'SOPDESK_SIM_MODEL must name the model',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('--baseline must be an earlier report.json: anything else is a usage error (2), before any trial', async () => {
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const dir = mkdtempSync(join(tmpdir(), 'sopdesk-sim-cli-'));
    try {
      writeFileSync(join(dir, 'other.json'), '{"orders": []}');
      expect(await simulateCommand(['--baseline', join(dir, 'other.json')], loadConfig({}))).toBe(2);
      expect(await simulateCommand(['--baseline', join(dir, 'none.json')], loadConfig({}))).toBe(2);
      expect(out.join('')).toContain('not a report.json of sopdesk simulate');
      expect(out.join('')).toContain('none.json: ENOENT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Ctrl-C cancels: no trial starts after it, the report covers what finished, exit 130', {
    timeout: 120_000,
  }, async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const dir = mkdtempSync(join(tmpdir(), 'sopdesk-sim-cli-'));
    try {
      const running = simulateCommand(['--sop', 'handling-returns', '--k', '3', '--out', dir], loadConfig({}));
      process.emit('SIGINT');
      expect(await running).toBe(130);
      expect(out.join('')).toContain('sopdesk simulate: canceling');
      expect(out.join('')).toContain('canceled; the report covers the trials that finished');
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      expect(report).toMatchObject({ canceled: true, ok: false });
      expect(report.simulations.flatMap((s: { trials: unknown[] }) => s.trials)).toEqual([]);
      // The handler is gone with the run: a later Ctrl-C is the process's again.
      expect(process.listenerCount('SIGINT')).toBe(0);
      expect(existsSync(join(dir, 'report.html'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
