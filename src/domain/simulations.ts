/** Simulation runs, pure: the pass^k estimate, and where a run stands (derived from when it last reported). */

const choose = (n: number, r: number) => {
  if (r > n) return 0;
  let v = 1;
  for (let i = 0; i < r; i++) v = (v * (n - i)) / (i + 1);
  return v;
};

/** pass^1…pass^k from `passes` of `k` trials: the chance that j trials in a row all pass (τ-bench's unbiased estimator). */
export function passHat(passes: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => choose(passes, i + 1) / choose(k, i + 1));
}

export const SIMULATION_RUN_STATUSES = ['running', 'finished', 'failed', 'interrupted', 'canceled'] as const;
export type SimulationRunStatus = (typeof SIMULATION_RUN_STATUSES)[number];

/** A run that has not reported for this long is taken as interrupted (its process stopped): no trial takes as long. */
export const SIMULATION_STALE_MS = 15 * 60_000;

export function simulationRunStatus(
  r: { finishedAt: string | null; error: string | null; progressAt: string; canceledAt: string | null },
  now: Date,
): SimulationRunStatus {
  if (r.canceledAt) return 'canceled';
  if (r.error) return 'failed';
  if (r.finishedAt) return 'finished';
  return now.getTime() - Date.parse(r.progressAt) > SIMULATION_STALE_MS ? 'interrupted' : 'running';
}

/** What a finished run keeps of its suite: the SOPs' coverage lines, bad simulation files, its time. */
export interface SimulationRunSummary {
  coverage: string[];
  errors: string[];
  ms: number;
  trialsPerMinute: number;
}

/**
 * One turn of a trial: the customer's message (or, null, the team's actions the agent went on after), the agent's
 * replies, and the trace of the agent's turn (one line per entry).
 */
export interface SimulationTurn {
  customer: string | null;
  /** What the team did before this turn (a manual step's evidence, a tool call, time passing), in words. */
  team?: string[];
  agent: string[];
  trace: { summary: string; lines: string[] } | null;
}
