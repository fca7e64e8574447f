/**
 * sopdesk simulate [--sop ID] [--k 3] [--concurrency N] [--json] [--out DIR] [--baseline FILE] [--model scripted|configured]
 * sopdesk simulate draft SOP [--write] [--skeleton]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readAiConfig } from '../agent/config.js';
import { createModel } from '../agent/model.js';
import { modelCustomer } from '../simulate/customer.js';
import { draftSimulations, proposeSimulations } from '../simulate/draft.js';
import { suiteFiles } from '../simulate/format.js';
import { type Baseline, formatReport, htmlReport, markdownReport, regressions } from '../simulate/report.js';
import { runSuite } from '../simulate/run.js';
import { scriptedModel } from '../simulate/scripted-model.js';
import { embeddedTrialStores, serverTrialStores } from '../simulate/stores.js';
import { loadLibrary } from '../sop/library.js';
import type { Config } from './config.js';

export const SIMULATE_USAGE = `usage: sopdesk simulate [--sop ID] [--k 3] [--concurrency N] [--json] [--out DIR] [--baseline FILE]
                        [--model scripted|configured]
       sopdesk simulate draft SOP [--write] [--skeleton]

  Runs each SOP's simulations (sops/<id>/simulations/*.yaml, docs/simulations.md) k times, each trial on a fresh
  copy of its starting store: a simulated customer talks to the AI agent; success is judged on the end state.
  Prints pass^1…pass^k per simulation, what failed and where its transcript is; writes DIR/report.md,
  DIR/report.html (one page: every transcript with the agent's trace beside each turn) and DIR/report.json
  (default DIR: ./simulation-results). Exits 1 on a regression: a simulation that did not pass all its trials, or
  with --baseline (an earlier run's report.json) one whose pass^1 fell below the baseline's. --concurrency runs
  that many trials side by side (default 4 on a server, 1 embedded). Ctrl-C cancels: no trial starts after it, the
  one in flight stops, the report covers the trials that finished, and the exit code is 130.

  --model scripted     the deterministic scripted model, no network (default: what CI runs)
  --model configured   the agent's model (SOPDESK_AI_PROVIDER, SOPDESK_AI_MODEL…): run this before going live
  The customer is scripted, or played by a model when SOPDESK_SIM_PROVIDER and SOPDESK_SIM_MODEL are set
  (SOPDESK_SIM_BASE_URL, SOPDESK_SIM_API_KEY as for the agent). Trials run on embedded databases, or on the
  PostgreSQL server of SOPDESK_SIM_DATABASE_URL (template databases; the user must be allowed to create them).

  draft SOP            a simulation per branch of the SOP, to review (printed; --write puts them in the SOP's
                       simulations/ folder): proposed by the agent's model when one is configured, else (or
                       with --skeleton) a skeleton whose "FILL IN:" fields the lead writes
`;

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

/** The simulated customer's model settings: SOPDESK_SIM_* read as the agent's are. */
function simModelConfig(env: NodeJS.ProcessEnv) {
  const mapped = Object.fromEntries(
    Object.entries(env)
      .filter(([k]) => k.startsWith('SOPDESK_SIM_'))
      .map(([k, v]) => [k.replace('SOPDESK_SIM_', 'SOPDESK_AI_'), v]),
  );
  try {
    return readAiConfig(mapped);
  } catch (e) {
    throw new Error(String(e instanceof Error ? e.message : e).replaceAll('SOPDESK_AI_', 'SOPDESK_SIM_'));
  }
}

export async function simulateCommand(args: string[], config: Config): Promise<number> {
  if (args[0] === 'draft') return draft(args.slice(1), config);
  if (args[0] === 'help' || args[0] === '--help' || args[0] === '-h') {
    out(SIMULATE_USAGE);
    return 0;
  }
  const options = {
    sop: { type: 'string' },
    k: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: 'simulation-results' },
    baseline: { type: 'string' },
    model: { type: 'string', default: 'scripted' },
  } as const;
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options }>>['values'];
  try {
    ({ values } = parseArgs({ args, options }));
  } catch (e) {
    err(`sopdesk simulate: ${e instanceof Error ? e.message : String(e)}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) return usage('--k must be a whole number from 1 to 50');
  const serverUrl = process.env.SOPDESK_SIM_DATABASE_URL?.trim() || undefined;
  const concurrency = Number(values.concurrency ?? (serverUrl ? 4 : 1));
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    return usage('--concurrency must be a whole number from 1 to 64');
  if (values.model !== 'scripted' && values.model !== 'configured')
    return usage('--model must be scripted or configured');
  if (values.model === 'configured' && !config.ai)
    return usage(
      '--model configured needs the AI agent configured (SOPDESK_AI_PROVIDER, SOPDESK_AI_MODEL; docs/ai-agent.md)',
    );
  let baseline: Baseline | undefined;
  if (values.baseline) {
    try {
      baseline = JSON.parse(readFileSync(values.baseline, 'utf8'));
    } catch (e) {
      return usage(`--baseline ${values.baseline}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Number.isInteger(baseline?.k) || !Array.isArray(baseline?.simulations))
      return usage(`--baseline ${values.baseline}: not a report.json of sopdesk simulate`);
  }
  const library = loadLibrary();
  if (values.sop && !library.get(values.sop)) return usage(`no SOP "${values.sop}"; see \`sopdesk sop list\``);
  const files = suiteFiles(library.list(), values.sop);
  if (!files.length)
    return usage('no simulations found (sops/<id>/simulations/*.yaml); `sopdesk simulate draft SOP` starts some');
  const customerConfig = simModelConfig(process.env);
  const customerModel = customerConfig && createModel(customerConfig);
  const stores = serverUrl ? serverTrialStores(serverUrl) : embeddedTrialStores();
  const progress = (line: string) => (values.json ? err(line) : out(line));
  // Ctrl-C cancels: no trial starts after it, the one in flight stops, and the report covers what finished. A
  // second Ctrl-C stops at once.
  const abort = new AbortController();
  const onInterrupt = () => {
    if (abort.signal.aborted) process.exit(130);
    err('sopdesk simulate: canceling — the trial in flight stops at its next message (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const report = await runSuite({
      files,
      library,
      stores,
      model: values.model === 'configured' ? createModel(config.ai!) : scriptedModel(),
      modelName: values.model === 'configured' ? `${config.ai!.provider}:${config.ai!.model}` : 'scripted',
      ...(customerModel
        ? {
            customer: (s) => modelCustomer(s, customerModel),
            customerName: `${customerConfig.provider}:${customerConfig.model}`,
          }
        : {}),
      k,
      concurrency,
      outDir: values.out,
      signal: abort.signal,
      ...(config.ai && values.model === 'configured' ? { budgets: config.ai.budgets } : {}),
      onTrial: (f, t) => {
        progress(
          `  ${t.ok ? '·' : '✗'} ${f.sopId} › ${f.simulation?.name} (trial ${t.trial}, ${t.turns} turns, ${t.ms} ms)`,
        );
      },
    });
    const regressed = regressions(report, baseline);
    const json = `${JSON.stringify({ ...report, regressions: regressed }, null, 2)}\n`;
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'report.md'), markdownReport(report, values.out));
    writeFileSync(join(values.out, 'report.html'), htmlReport(report));
    writeFileSync(join(values.out, 'report.json'), json);
    if (values.json) process.stdout.write(json);
    else {
      for (const l of formatReport(report)) out(l);
      for (const l of regressed) out(`regression: ${l}`);
      out(`report: ${join(values.out, 'report.md')}`);
    }
    if (report.canceled) {
      err('sopdesk simulate: canceled; the report covers the trials that finished');
      return 130;
    }
    return regressed.length || report.errors.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    await stores.close();
  }
}

function usage(message: string): number {
  err(`sopdesk simulate: ${message}`);
  return 2;
}

async function draft(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { write: { type: 'boolean', default: false }, skeleton: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const doc = loadLibrary().get(positionals[0] ?? '');
  if (!doc) return usage(`draft: no SOP "${positionals[0] ?? ''}"; see \`sopdesk sop list\``);
  const withModel = config.ai && !values.skeleton;
  if (withModel) err(`drafting with ${config.ai!.provider}:${config.ai!.model}, one model call or two per branch…`);
  const drafts = withModel ? await proposeSimulations(doc, { model: createModel(config.ai!) }) : draftSimulations(doc);
  if (!values.write) {
    for (const d of drafts) out(`--- ${d.file}\n${d.text}`);
    return 0;
  }
  const dir = join(dirname(doc.file), 'simulations');
  mkdirSync(dir, { recursive: true });
  for (const d of drafts) {
    const file = join(dir, d.file);
    if (existsSync(file)) err(`kept ${file} (exists)`);
    else {
      writeFileSync(file, d.text);
      out(`wrote ${file}`);
    }
  }
  return 0;
}
