/**
 * Simulations per minute: the built-in suite (every simulation of the four built-in SOPs, BENCH_SIM_K trials each)
 * with the scripted customer and the zero-latency scripted model, so the figure is sopdesk's own cost — the
 * agent's turns, the SOP runner, the tools, the judging — plus the time to set up a fresh trial store: on
 * PostgreSQL (`create database … template`, BENCH_DATABASE_URL) and on the embedded database (a reset to the
 * store's snapshot).
 *   npx tsx bench/simulate.ts
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { suiteFiles } from '../src/simulate/format.js';
import { runSuite, type SuiteReport } from '../src/simulate/run.js';
import { scriptedModel } from '../src/simulate/scripted-model.js';
import { embeddedTrialStores, serverTrialStores, type TrialStores } from '../src/simulate/stores.js';
import { loadLibrary } from '../src/sop/library.js';
import { log, PG_BASE } from './lib.js';

const K = Number(process.env.BENCH_SIM_K ?? 3);

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(stores: TrialStores, concurrency: number) {
  const library = loadLibrary(fileURLToPath(new URL('../sops', import.meta.url)));
  let report: SuiteReport;
  try {
    report = await runSuite({
      files: suiteFiles(library.list()),
      library,
      stores,
      model: scriptedModel(),
      modelName: 'scripted',
      k: K,
      concurrency,
    });
  } finally {
    await stores.close();
  }
  const trials = report.simulations.flatMap((s) => s.trials);
  // The first trial of each store loads it (the template); the rest are what every later trial costs.
  const later = trials.filter((t) => t.trial > 1);
  // Model calls per customer message, and what they were for (the purposes the agent's traces name).
  const messages = trials.reduce((n, t) => n + t.turns, 0);
  const calls = trials.reduce((n, t) => n + t.modelCalls, 0);
  const byPurpose: Record<string, number> = {};
  for (const t of trials)
    for (const turn of t.conversation)
      for (const line of turn.trace?.lines ?? []) {
        const purpose = /^model (\S+) #\d+/.exec(line)?.[1];
        if (purpose) byPurpose[purpose] = (byPurpose[purpose] ?? 0) + 1;
      }
  const figures = {
    simulations: report.simulations.length,
    trials: trials.length,
    passed: trials.filter((t) => t.ok).length,
    concurrency,
    seconds: Math.round(report.ms / 100) / 10,
    simulationTrialsPerMinute: report.trialsPerMinute,
    freshStoreMsP50: p50(later.map((t) => t.setupMs)),
    trialMsP50: p50(later.map((t) => t.ms - t.setupMs)),
    customerMessages: messages,
    modelCalls: calls,
    modelCallsPerCustomerMessage: Math.round((calls / Math.max(1, messages)) * 100) / 100,
    modelCallsPerPurpose: Object.fromEntries(Object.entries(byPurpose).sort((a, b) => b[1] - a[1])),
  };
  log(
    `simulate (${stores.kind}): ${figures.simulationTrialsPerMinute} trials/min, fresh store p50 ${figures.freshStoreMsP50} ms, trial p50 ${figures.trialMsP50} ms`,
  );
  return figures;
}

export async function simulateBench() {
  const server = await measure(serverTrialStores(PG_BASE), 4);
  const embedded = await measure(embeddedTrialStores(), 1);
  return { k: K, server, embedded, loadAverage: Math.round(loadavg()[0]! * 10) / 10, cores: cpus().length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  simulateBench()
    .then((f) => console.log(JSON.stringify(f, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
