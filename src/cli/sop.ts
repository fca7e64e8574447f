/**
 * sopdesk sop list | show ID | lint [FILE…] | run ID | test [ID] | import FILE [--out FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { SopEngine } from '../sop/engine.js';
import { importArticle } from '../sop/importer.js';
import { formatIssue } from '../sop/issues.js';
import { defaultSopsDir, loadLibrary, sopFiles } from '../sop/library.js';
import { lintSource } from '../sop/linter.js';
import { testSops } from '../sop/test-sops.js';
import type { SopRunView } from '../sop/view.js';
import { TOOLS } from '../tools/catalogue.js';
import { isDomainError } from '../kernel/errors.js';
import type { Config } from './config.js';
import { openContext, openScratchContext } from './open.js';

export const SOP_USAGE = `usage: sopdesk sop <command>   (SOPs are read from SOPDESK_SOPS_DIR, default ./sops)

  list                              the SOPs, with when each applies
  show ID                           an SOP's steps
  lint [FILE…]                      check SOP files (default: every SOP) against the tool catalogue
  run ID [--customer cus_…] [--input name=value…] [--resume run_…]
                                    walk through an SOP in the terminal (guided mode) on the configured database
  test [ID]                         run every SOP's scenarios on fresh embedded databases; print step coverage
  import FILE [--out FILE]          turn a help-centre article (text or HTML) into a draft SOP
`;

const out = (s: string) => process.stdout.write(s + '\n');

export async function sopCommand(args: string[], config: Config): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'list': {
      const lib = loadLibrary();
      for (const d of lib.list())
        out(`${d.meta.id.padEnd(32)} v${d.meta.version}  ${d.meta.title} — ${d.meta.appliesWhen}`);
      for (const i of lib.issues) process.stderr.write(formatIssue(i) + '\n');
      return lib.issues.length ? 1 : 0;
    }
    case 'show': {
      const lib = loadLibrary();
      const doc = lib.get(rest[0] ?? '');
      if (!doc) return fail(`no SOP "${rest[0] ?? ''}"; see \`sopdesk sop list\``);
      out(`${doc.meta.title} (v${doc.meta.version}, ${doc.file})\nApplies when: ${doc.meta.appliesWhen}\n`);
      for (const [i, s] of doc.steps.entries())
        out(
          `${String(i + 1).padStart(2)}. ${s.def.id} [${s.def.kind}${s.def.kind === 'tool' ? `: ${s.def.tool}` : ''}] ${s.title}`,
        );
      return 0;
    }
    case 'lint': {
      const files = rest.length ? rest : sopFiles(defaultSopsDir());
      let count = 0;
      for (const f of files) {
        const issues = lintSource(readFileSync(f, 'utf8'), f, TOOLS);
        count += issues.length;
        for (const i of issues) out(formatIssue(i));
      }
      process.stderr.write(`${files.length} SOP file(s), ${count} problem(s)\n`);
      return count ? 1 : 0;
    }
    case 'test': {
      const report = await testSops({
        library: loadLibrary(),
        catalogue: TOOLS,
        freshContext: openScratchContext,
        only: rest[0],
        log: out,
      });
      return report.ok ? 0 : 1;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { out: { type: 'string' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!file) return fail('usage: sopdesk sop import FILE [--out FILE]');
      const { markdown, draft } = importArticle(readFileSync(file, 'utf8'), file);
      if (values.out) {
        writeFileSync(values.out, markdown);
        process.stderr.write(
          `wrote ${values.out}: ${draft.steps.length} steps, ${draft.cautions.length} reminders — review it, then \`sopdesk sop lint ${values.out}\`\n`,
        );
      } else process.stdout.write(markdown);
      return 0;
    }
    case 'run':
      return runInteractive(rest, config);
    default: {
      const help = command === undefined || command === 'help' || command === '--help' || command === '-h';
      (help ? process.stdout : process.stderr).write(SOP_USAGE);
      return help ? 0 : 2;
    }
  }
}

class InputEnded extends Error {}

function fail(message: string): number {
  process.stderr.write(`sopdesk sop: ${message}\n`);
  return 2;
}

/** A typed answer: y/yes/n/no for yes-no questions, JSON when it parses (true, 3, [{…}]), otherwise the text. */
function value(text: string, yesNo = false): unknown {
  if (yesNo && /^(y|yes)$/i.test(text.trim())) return true;
  if (yesNo && /^(n|no)$/i.test(text.trim())) return false;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function show(v: SopRunView, seen: number): void {
  for (const m of v.messages.slice(seen)) {
    out(`\n  » Tell the customer: ${m.text}`);
    for (const d of m.disclosures) out(`    (must say) ${d}`);
  }
}

async function runInteractive(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { customer: { type: 'string' }, input: { type: 'string', multiple: true }, resume: { type: 'string' } },
    allowPositionals: true,
  });
  const ctx = await openContext(config, { command: 'sop run' });
  const rl = createInterface({ input: process.stdin, terminal: false });
  // Reading lines through the iterator keeps piped input (scripts, tests) from being lost between prompts.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    process.stdout.write(prompt);
    const next = await lines.next();
    if (next.done) throw new InputEnded();
    return String(next.value);
  };
  const actor = { kind: 'human' as const, id: process.env.USER ?? 'cli' };
  try {
    const engine = new SopEngine({ ctx });
    const inputs = Object.fromEntries(
      (values.input ?? []).map((kv) => [kv.split('=')[0]!, value(kv.split('=').slice(1).join('='))]),
    );
    let v = values.resume
      ? await engine.view(values.resume, actor)
      : await engine.start({ sopId: positionals[0] ?? '', customerId: values.customer, inputs }, { actor });
    out(`Run ${v.id} — ${v.title} (resume with --resume ${v.id})`);
    let seen = 0;
    while (v.current && (v.status === 'running' || v.status === 'waiting')) {
      show(v, seen);
      seen = v.messages.length;
      const s = v.current;
      out(`\n## ${s.title} [${s.kind}]${s.instructions ? `\n${s.instructions}` : ''}`);
      for (const n of v.notices.slice(-1)) out(`  ! ${n.message}`);
      try {
        if (s.needs === 'event') {
          out(`Waiting for ${s.wait?.event}. Come back later with --resume ${v.id}.`);
          break;
        } else if (s.needs === 'answer') {
          const a = await ask(
            `${s.prompt ?? s.form?.input} (${s.form?.type}${s.form?.options ? `: ${s.form.options.join('|')}` : ''}) > `,
          );
          v = await engine.submit(v.id, s.stepId, { answer: value(a, s.form?.type === 'boolean') }, { actor });
        } else if (s.needs === 'evidence') {
          for (const h of s.hints ?? []) out(`  hint: ${h}`);
          const evidence: Record<string, unknown> = {};
          for (const f of s.evidence ?? []) {
            const a = await ask(
              `${f.label ?? f.name} (${f.type === 'confirmed' ? 'y to confirm' : f.type}${f.pattern ? ` ${f.pattern}` : ''}) > `,
            );
            evidence[f.name] =
              f.type === 'string' || f.type === 'email'
                ? a.trim()
                : value(a, f.type === 'boolean' || f.type === 'confirmed');
          }
          v = await engine.submit(v.id, s.stepId, { evidence }, { actor });
        } else if (s.needs === 'confirm') {
          out(`${s.tool?.name} ${JSON.stringify(s.tool?.arguments)}`);
          if (s.tool?.preview) out(`Preview: ${JSON.stringify(s.tool.preview, null, 2)}`);
          if (s.tool?.previewError) out(`This would be refused: ${s.tool.previewError.message}`);
          const yes = (await ask('The customer agreed — go ahead? [y/N] > ')).trim().toLowerCase() === 'y';
          if (!yes) {
            out(`Not confirmed. Resume later with --resume ${v.id}.`);
            break;
          }
          v = await engine.submit(v.id, s.stepId, { confirm: true }, { actor });
        } else break;
      } catch (e) {
        if (e instanceof InputEnded) {
          out(`\nNo more input. Resume with --resume ${v.id}.`);
          break;
        }
        if (!isDomainError(e)) throw e;
        out(`  ✗ ${e.message}`);
      }
    }
    show(v, seen);
    out(
      `\nRun ${v.id}: ${v.status}${v.failure ? ` — failed at ${v.failure.stepId}: ${v.failure.message}` : ''}${v.handoff ? ` — handed off: ${v.handoff.summary}` : ''}`,
    );
    for (const c of v.compensations) out(`  undo ${c.stepId} with ${c.tool}: ${c.ok ? 'done' : `FAILED: ${c.error}`}`);
    return v.status === 'failed' ? 1 : 0;
  } finally {
    rl.close();
    await ctx.database.close();
  }
}
