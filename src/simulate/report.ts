/** A suite's report: lines for the terminal, and Markdown for a file or a pull request. */
import { relative } from 'node:path';
import { formatCoverage } from '../sop/coverage.js';
import type { SuiteReport } from './run.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function passLine(s: SuiteReport['simulations'][number]): string {
  return s.passHat.map((p, i) => `pass^${i + 1} ${pct(p)}`).join('  ');
}

/** What `regressions` compares with: an earlier run's report.json. */
export interface Baseline {
  k: number;
  simulations: { file: string; passes: number }[];
}

/**
 * The simulations that regressed, in words: each whose pass^1 fell below the baseline's, and each the baseline does
 * not have (or every one, without a baseline) that did not pass all its trials.
 */
export function regressions(r: SuiteReport, baseline?: Baseline): string[] {
  const before = new Map(baseline?.simulations.map((s) => [s.file, s.passes / baseline.k]));
  return r.simulations.flatMap((s) => {
    const now = s.passes / r.k;
    const was = before.get(s.file);
    if (was === undefined ? now === 1 : now >= was) return [];
    return [`${s.sopId} › ${s.name}: pass^1 ${pct(now)}${was === undefined ? '' : `, was ${pct(was)}`}`];
  });
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

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}
.ok{color:#13704a}.bad{color:#b42318}details{margin:.4rem 0}summary{cursor:pointer}
.turn{display:grid;grid-template-columns:1fr 1fr;gap:1rem;border-top:1px solid #eef0f4;padding:.5rem 0}
.msg{white-space:pre-wrap;margin:.2rem 0}.customer{font-weight:600}.team{font-style:italic;color:#4a5365}.trace{font:12px/1.4 ui-monospace,monospace;color:#4a5365}
.trace ul{margin:.2rem 0;padding-left:1.1rem}pre{white-space:pre-wrap}`;

/** The report as one self-contained HTML page: per simulation its pass^k and first failure, each trial's transcript with the agent's trace beside each turn. */
export function htmlReport(r: SuiteReport): string {
  const passed = r.simulations.filter((s) => s.passes === r.k).length;
  const rows = r.simulations.map((s, i) => {
    const failed = s.trials.find((t) => !t.ok);
    return `<tr><td>${esc(s.sopId)}</td><td><a href="#sim-${i}">${esc(s.name)}</a></td><td class="${s.passes === r.k ? 'ok' : 'bad'}">${s.passes}/${r.k}</td>${s.passHat.map((p) => `<td>${pct(p)}</td>`).join('')}<td>${failed ? esc(failed.failures[0] ?? '') : ''}</td></tr>`;
  });
  const sections = r.simulations.map((s, i) => {
    const trials = s.trials.map((t) => {
      let n = 0;
      const turns = t.conversation.map(
        (turn) =>
          `<div class="turn"><div>${(turn.team ?? []).map((x) => `<p class="msg team">Team: ${esc(x)}</p>`).join('')}${turn.customer === null ? '' : `<p class="msg customer">Customer (${++n}): ${esc(turn.customer)}</p>`}${turn.agent.map((a) => `<p class="msg">Agent: ${esc(a)}</p>`).join('')}</div><div class="trace">${turn.trace ? `${esc(turn.trace.summary)}<ul>${turn.trace.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}</div></div>`,
      );
      const failures = t.failures.length
        ? `<ul class="bad">${t.failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`
        : '';
      return `<details${t.ok ? '' : ' open'}><summary class="${t.ok ? 'ok' : 'bad'}">Trial ${t.trial}: ${t.ok ? 'passed' : 'failed'} (${t.turns} turns, ${t.ms} ms)</summary>${failures}${turns.join('')}</details>`;
    });
    return `<section id="sim-${i}"><h2>${esc(s.sopId)} › ${esc(s.name)}</h2><p>${esc(s.goal)} <small>${esc(s.file)}</small></p>${trials.join('')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Simulations: ${passed}/${r.simulations.length} passed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<h1>Simulations</h1>
<p>k = ${r.k}, agent model: ${esc(r.model)}, customer: ${esc(r.customer)}. <strong class="${r.ok ? 'ok' : 'bad'}">${passed}/${r.simulations.length} simulations passed all ${r.k} trials.</strong> ${(r.ms / 1000).toFixed(1)} s, ${r.trialsPerMinute} trials/min.</p>
${r.errors.length ? `<h2>Files that are not valid simulations</h2><ul class="bad">${r.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<table><thead><tr><th>SOP</th><th>simulation</th><th>passed</th>${Array.from({ length: r.k }, (_, i) => `<th>pass^${i + 1}</th>`).join('')}<th>first failure</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${sections.join('\n')}
<h2>Coverage of the SOPs</h2><pre>${esc(r.coverage.map((c) => formatCoverage(c)).join('\n'))}</pre>
</body></html>
`;
}
