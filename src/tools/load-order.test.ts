import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Loads `first` in a fresh process, then the catalogue, and answers the catalogue's tool names. */
function toolsAfterLoading(first: string): string[] {
  const script = `await import('./${first}'); const { TOOLS } = await import('./src/tools/catalogue.ts');
    process.stdout.write(JSON.stringify(TOOLS.map((t) => t.name)));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('the tool catalogue, whichever file a program loads first', () => {
  // The CLI bundle once loaded the sop tools before the catalogue, and the catalogue found them not yet defined.
  it.each(['src/tools/sop.ts', 'src/sop/engine.ts', 'src/mcp/server.ts', 'src/cli/start.ts'])(
    'lists the sop tools after %s',
    (first) => {
      const names = toolsAfterLoading(first);
      expect(names).toContain('start_sop');
      expect(names).toContain('cancel_order');
    },
  );
});
