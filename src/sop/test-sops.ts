/** `sopdesk sop test [ID]`: lint each SOP, run its scenarios on fresh databases, report step coverage. */
import { dirname } from 'node:path';
import { coverageOf, formatCoverage, type Coverage } from './coverage.js';
import { formatIssue } from './issues.js';
import type { SopLibrary } from './library.js';
import { lintDocument, type Catalogue } from './linter.js';
import { runScenario, scenarioFiles, type ScenarioContext, type ScenarioResult } from './scenario.js';

export interface SopTestReport {
  ok: boolean;
  sops: { id: string; lint: string[]; scenarios: (ScenarioResult & { file: string })[]; coverage: Coverage }[];
}

export async function testSops(opts: {
  library: SopLibrary;
  catalogue: Catalogue;
  /** A fresh, empty database per scenario, its clock at `now`; closed after it. */
  freshContext: (now: string) => Promise<ScenarioContext & { close(): Promise<void> }>;
  only?: string | undefined;
  log?: (line: string) => void;
}): Promise<SopTestReport> {
  const log = opts.log ?? (() => {});
  const report: SopTestReport = { ok: true, sops: [] };
  for (const doc of opts.library.list()) {
    if (opts.only && doc.meta.id !== opts.only) continue;
    const lint = lintDocument(doc, opts.catalogue).map(formatIssue);
    const scenarios: SopTestReport['sops'][number]['scenarios'] = [];
    log(`${doc.meta.id} (${doc.file})`);
    for (const l of lint) log(`  lint: ${l}`);
    for (const f of scenarioFiles(dirname(doc.file))) {
      if (!f.scenario) {
        scenarios.push({
          file: f.file,
          name: f.file,
          ok: false,
          problems: [`bad scenario file: ${f.error}`],
          edges: [],
          reached: [],
        });
        log(`  ✗ ${f.file}: ${f.error}`);
        continue;
      }
      const ctx = await opts.freshContext(f.scenario.now);
      try {
        const r = await runScenario(ctx, doc, f.scenario, opts.catalogue);
        scenarios.push({ ...r, file: f.file });
        log(`  ${r.ok ? '✓' : '✗'} ${r.name}`);
        for (const p of r.problems) log(`      ${p}`);
      } finally {
        await ctx.close();
      }
    }
    const coverage = coverageOf(doc, scenarios);
    log(
      formatCoverage(coverage)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    if (lint.length || scenarios.some((s) => !s.ok) || !scenarios.length) report.ok = false;
    report.sops.push({ id: doc.meta.id, lint, scenarios, coverage });
  }
  return report;
}
