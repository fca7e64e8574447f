/**
 * Keeps the dependency direction of ARCHITECTURE.md true: kernel ← domain ← db ← app ← {tools, sop, http, cli}.
 * Each folder of src/ may import only the folders listed for it; a new import that points the other way fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

const MAY_IMPORT: Record<string, readonly string[]> = {
  kernel: [],
  domain: ['kernel'],
  db: ['kernel', 'domain'],
  app: ['kernel', 'domain', 'db', 'connectors'],
  connectors: ['kernel', 'domain', 'db', 'app'],
  // The SOP tools (start_sop, sop_next_step, …) drive the SOP engine, which itself runs catalogue tools.
  tools: ['kernel', 'domain', 'db', 'app', 'connectors', 'sop'],
  sop: ['kernel', 'domain', 'db', 'app', 'connectors', 'tools'],
  mcp: ['kernel', 'domain', 'db', 'app', 'tools'],
  // The AI agent is one more caller of the SOP runner and the tools, not a second engine.
  agent: ['kernel', 'domain', 'db', 'app', 'tools', 'sop'],
  // Simulations drive the AI agent as a customer would: through the inbox, on trial stores.
  simulate: ['kernel', 'domain', 'db', 'app', 'connectors', 'tools', 'sop', 'agent'],
  http: ['kernel', 'domain', 'db', 'app', 'connectors', 'tools', 'sop', 'mcp', 'agent'],
  cli: ['kernel', 'domain', 'db', 'app', 'connectors', 'tools', 'sop', 'mcp', 'http', 'agent', 'simulate'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('the dependency direction', () => {
  it('every folder of src/ imports only the folders below it', () => {
    const wrong: string[] = [];
    for (const file of sources(SRC)) {
      const layer = relative(SRC, file).split('/')[0]!;
      const allowed = MAY_IMPORT[layer];
      if (!allowed) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '(\.\.?\/[^']+)'|import\('(\.\.?\/[^']+)'\)/g)) {
        const target = relative(SRC, normalize(join(dirname(file), m[1] ?? m[2]!))).split('/')[0]!;
        if (target !== layer && !target.startsWith('..') && target in MAY_IMPORT && !allowed.includes(target)) {
          wrong.push(`${relative(SRC, file)} imports ${target}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the web client imports from src/ only kernel and domain, which are pure and run in a browser', () => {
    const WEB = join(SRC, '..', 'web', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const wrong: string[] = [];
    for (const file of files(WEB)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
        const target = relative(SRC, normalize(join(dirname(file), m[1]!)));
        if (!target.startsWith('..') && !['kernel', 'domain'].includes(target.split('/')[0]!))
          wrong.push(`${relative(WEB, file)} imports src/${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('app reaches the database only through src/db/repo: no drizzle-orm and no table in a use case', () => {
    const APP = join(SRC, 'app');
    const wrong = sources(APP)
      .map((file) => relative(APP, file))
      .filter((file) =>
        /from '(drizzle-orm[^']*|(\.\.\/)+db\/schema[^']*)'/.test(readFileSync(join(APP, file), 'utf8')),
      );
    expect(wrong).toEqual([]);
  });

  it('knows every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(MAY_IMPORT).sort());
  });
});
