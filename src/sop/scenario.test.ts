import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarioFiles } from './scenario.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sopDir(scenarios: Record<string, string>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sop-scenarios-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(scenarios)) writeFileSync(join(dir, 'scenarios', name), text);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('scenario files', () => {
  it('read a store given by an absolute path as well as a relative one', () => {
    const dir = sopDir({}, { 'store.yaml': 'customers: []\nproducts: []\norders: []\n' });
    writeFileSync(
      join(dir, 'scenarios', 'abs.yaml'),
      `name: abs\nstore: ${join(dir, 'store.yaml')}\nsteps: []\nexpect: { status: running }\n`,
    );
    writeFileSync(
      join(dir, 'scenarios', 'rel.yaml'),
      'name: rel\nstore: ../store.yaml\nsteps: []\nexpect: { status: running }\n',
    );
    const files = scenarioFiles(dir);
    expect(files.map((f) => f.error)).toEqual([undefined, undefined]);
    expect(files.map((f) => f.scenario?.store)).toEqual([
      { customers: [], products: [], orders: [] },
      { customers: [], products: [], orders: [] },
    ]);
  });

  it('report a store file that does not exist as that scenario’s error instead of throwing', () => {
    const files = scenarioFiles(
      sopDir({ 'missing.yaml': 'name: missing\nstore: ../nope.yaml\nsteps: []\nexpect: { status: running }\n' }),
    );
    expect(files).toHaveLength(1);
    expect(files[0]!.error).toMatch(/^store \.\.\/nope\.yaml: ENOENT/);
  });
});
