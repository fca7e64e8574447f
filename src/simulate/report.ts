/** A suite's report: lines for the terminal, and Markdown for a file or a pull request. */
import { relative } from 'node:path';
import { formatCoverage } from '../sop/coverage.js';
import type { SuiteReport } from './run.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function passLine(s: SuiteReport['simulations'][number]): string {
  return s.passHat.map((p, i) => `pass^${i + 1} ${pct(p)}`).join('  ');
}

/** What the terminal shows: per simulation its pass^1…pass^k, each failed trial's first failure and transcript. */
export function formatReport(r: SuiteReport): string[] {
  const lines: string[] = [];
  for (const e of r.errors) lines.push(`✗ ${e}`);
  for (const s of r.simulations) {
    lines.push(`${s.passes === r.k ? '✓' : '✗'} ${s.sopId} › ${s.name}  ${s.passes}/${r.k}  ${passLine(s)}`);
    for (const t of s.trials.filter((t) => !t.ok)) {
      lines.push(
        `    trial ${t.trial}: ${t.failures[0]}${t.failures.length > 1 ? ` (+${t.failures.length - 1} more)` : ''}`,
      );
      if (t.transcript) lines.push(`      transcript: ${t.transcript}`);
    }
  }
  for (const c of r.coverage) lines.push(...formatCoverage(c).split('\n'));
  const passed = r.simulations.filter((s) => s.passes === r.k).length;
  lines.push(
    `${passed}/${r.simulations.length} simulations passed all ${r.k} trials (${r.model} model, ${r.customer} customer); ${r.errors.length} bad file(s); ${(r.ms / 1000).toFixed(1)} s, ${r.trialsPerMinute} trials/min`,
  );
  return lines;
}

/** The report in Markdown; transcript links are relative to `dir`, where the report is written. */
export function markdownReport(r: SuiteReport, dir = '.'): string {
  const out = [
    '# Simulations',
    '',
    `k = ${r.k}, agent model: ${r.model}, customer: ${r.customer}. ${r.ok ? 'All passed.' : '**Failures.**'}`,
    '',
    `| SOP | simulation | passed | ${Array.from({ length: r.k }, (_, i) => `pass^${i + 1}`).join(' | ')} | first failure |`,
    `|---|---|---|${'---|'.repeat(r.k)}---|`,
  ];
  for (const s of r.simulations) {
    const failed = s.trials.find((t) => !t.ok);
    const why = failed
      ? `${failed.failures[0]?.replaceAll('|', '\\|')}${failed.transcript ? ` ([transcript](${relative(dir, failed.transcript)}))` : ''}`
      : '';
    out.push(`| ${s.sopId} | ${s.name} | ${s.passes}/${r.k} | ${s.passHat.map(pct).join(' | ')} | ${why} |`);
  }
  if (r.errors.length) out.push('', '## Files that are not valid simulations', '', ...r.errors.map((e) => `- ${e}`));
  out.push(
    '',
    '## Coverage of the SOPs',
    '',
    '```',
    ...r.coverage.flatMap((c) => formatCoverage(c).split('\n')),
    '```',
    '',
  );
  return out.join('\n');
}
