/**
 * Simulation runs started from the inbox (POST /v1/simulation-runs): the suite runs in the server's process as
 * background work, on trial stores (in-memory embedded databases, or the template databases of
 * SOPDESK_SIM_DATABASE_URL) — never on the live store, which keeps only each finished trial and the end.
 */
import { relative } from 'node:path';
import type { AiConfig } from '../agent/config.js';
import type { AppContext } from '../app/context.js';
import { StartSimulationRunBody } from '../app/simulations/schemas.js';
import {
  cancelSimulationRun,
  createSimulationRun,
  endSimulationRun,
  isSimulationRunCanceled,
  recordSimulationTrial,
} from '../app/simulations/simulation-runs.js';
import type { SimulationRunner } from '../app/simulations/simulation-runs.js';
import { getSimulationRun } from '../app/simulations/read-simulation-runs.js';
import { invalid } from '../kernel/errors.js';
import { defaultSopsDir, type SopLibrary } from '../sop/library.js';
import { formatCoverage } from '../sop/coverage.js';
import { suiteFiles } from './format.js';

export interface BackgroundOptions {
  library: SopLibrary;
  /** The agent's configured model, for runs that ask for it. */
  ai?: AiConfig | undefined;
  /** PostgreSQL server for trial databases (SOPDESK_SIM_DATABASE_URL); absent = in-memory embedded ones. */
  serverUrl?: string | undefined;
  /** Each run as it ends (tests wait on it). */
  onEnd?: (runId: string) => void;
}

export function simulationRunner(ctx: AppContext, o: BackgroundOptions): SimulationRunner {
  const root = defaultSopsDir();
  const files = (sopId?: string) => suiteFiles(o.library.list(), sopId);
  /** The runs going on in this process, to stop at once when canceled. */
  const running = new Map<string, AbortController>();
  return {
    suite: () =>
      files().flatMap((f) =>
        f.simulation
          ? [{ sopId: f.sopId, name: f.simulation.name, goal: f.simulation.goal, file: relative(root, f.file) }]
          : [],
      ),
    models: () => (o.ai ? ['scripted', 'configured'] : ['scripted']),
    async start(input, opts) {
      const body = StartSimulationRunBody.parse(input);
      if (body.sopId && !o.library.get(body.sopId)) throw invalid('sopId', `no SOP "${body.sopId}"`);
      if (body.model === 'configured' && !o.ai)
        throw invalid('model', 'no AI model is configured here (SOPDESK_AI_PROVIDER, SOPDESK_AI_MODEL)');
      const suite = files(body.sopId);
      const runnable = suite.filter((f) => f.simulation).length;
      if (!runnable) throw invalid('sopId', 'no simulations to run (sops/<id>/simulations/*.yaml)');
      const modelName = body.model === 'configured' ? `${o.ai!.provider}:${o.ai!.model}` : 'scripted';
      const { id } = await createSimulationRun(ctx, { ...body, modelName, total: runnable * body.k }, opts);
      const abort = new AbortController();
      running.set(id, abort);
      void runInBackground(ctx, o, id, body, suite, root, abort).finally(() => {
        running.delete(id);
        o.onEnd?.(id);
      });
      return (await getSimulationRun(ctx, id)).run;
    },
    async cancel(runId, opts) {
      const { run } = await cancelSimulationRun(ctx, runId, opts);
      if (run.canceledAt) running.get(runId)?.abort();
      return run;
    },
  };
}

async function runInBackground(
  ctx: AppContext,
  o: BackgroundOptions,
  runId: string,
  body: StartSimulationRunBody,
  files: ReturnType<typeof suiteFiles>,
  root: string,
  abort: AbortController,
): Promise<void> {
  try {
    // Loaded when a run starts: a server that never simulates does not load the trial machinery.
    const [{ runSuite }, { embeddedTrialStores, serverTrialStores }, { scriptedModel }, { createModel }] =
      await Promise.all([
        import('./run.js'),
        import('./stores.js'),
        import('./scripted-model.js'),
        import('../agent/model.js'),
      ]);
    const stores = o.serverUrl ? serverTrialStores(o.serverUrl) : embeddedTrialStores();
    try {
      const report = await runSuite({
        files,
        library: o.library,
        stores,
        model: body.model === 'configured' ? createModel(o.ai!) : scriptedModel(),
        modelName: body.model,
        k: body.k,
        concurrency: o.serverUrl ? 4 : 1,
        ...(body.model === 'configured' && o.ai ? { budgets: o.ai.budgets } : {}),
        signal: abort.signal,
        onTrial: async (f, t) => {
          // Canceled from another process: seen between trials.
          if (await isSimulationRunCanceled(ctx, runId)) return abort.abort();
          await recordSimulationTrial(ctx, runId, {
            sopId: f.sopId,
            file: relative(root, f.file),
            name: f.simulation!.name,
            goal: f.simulation!.goal,
            trial: t.trial,
            ok: t.ok,
            failures: t.failures,
            turns: t.turns,
            ms: t.ms,
            conversation: t.conversation,
          }).catch((e: unknown) => console.error(`sopdesk simulate: could not keep a trial of ${runId}`, e));
        },
      });
      await endSimulationRun(ctx, runId, {
        summary: {
          coverage: report.coverage.flatMap((c) => formatCoverage(c).split('\n')),
          errors: report.errors,
          ms: report.ms,
          trialsPerMinute: report.trialsPerMinute,
        },
      });
    } finally {
      await stores.close();
    }
  } catch (e) {
    console.error(`sopdesk simulate: run ${runId} failed`, e);
    await endSimulationRun(ctx, runId, { error: e instanceof Error ? e.message : String(e) }).catch(() => undefined);
  }
}
