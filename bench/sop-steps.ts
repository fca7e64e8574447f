/**
 * Server time per guided SOP step: POST /v1/sop-runs/:id/steps/:stepId through the HTTP app in-process
 * (no network), on PostgreSQL (BENCH_DATABASE_URL, default the local test server) or, with
 * BENCH_EMBEDDED=1, on PGlite. Prints JSON with p50 / p99 in milliseconds.
 *   npx tsx bench/sop-steps.ts
 */
import { createServerDatabase } from '../test/support/db.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { createToken } from '../src/app/tokens/tokens.js';
import { SopEngine, useSopEngine } from '../src/sop/engine.js';
import { libraryOf } from '../src/sop/library.js';
import { parseSop } from '../src/sop/parser.js';

const SOP = `---
id: bench
title: Bench
version: 1
appliesWhen: benchmarking
---

## Ask

\`\`\`step
id: ask
kind: ask
input: note
type: string
\`\`\`

## Evidence

\`\`\`step
id: work
kind: manual
evidence:
  ref: ^REF-\\d+$
  done: confirmed
\`\`\`

\`\`\`step
id: tell
kind: say
message: Noted {{ steps.work.evidence.ref }}.
\`\`\`

\`\`\`step
id: again
kind: goto
goto: ask
\`\`\`
`;

const embedded = process.env.BENCH_EMBEDDED === '1';
const server = embedded
  ? undefined
  : await createServerDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const database = await openDatabase(server ? { url: server.url, poolSize: 4 } : {});
const ctx = { database, clock: systemClock };
const doc = parseSop(SOP).doc!;
useSopEngine(ctx, new SopEngine({ ctx, catalogue: [], library: libraryOf([doc]) }));
const app = createApp(ctx);
const { token } = await createToken(ctx, { role: 'agent', name: 'bench' });
const post = (path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const run = (await (await post('/v1/sop-runs', { sopId: 'bench' })).json()) as { id: string };
const times: number[] = [];
// CPU time of this process per step: a figure that holds even when other work shares the machine.
let cpu = 0;
const rounds = Number(process.env.BENCH_ROUNDS ?? 300);
for (let i = 0; i < rounds; i++) {
  for (const [step, body] of [
    ['ask', { answer: `n${i}` }],
    ['work', { evidence: { ref: `REF-${i}`, done: true } }],
  ] as const) {
    const t = performance.now();
    const c = process.cpuUsage();
    const res = await post(`/v1/sop-runs/${run.id}/steps/${step}`, body);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${step}: ${res.status}`);
    if (i >= 20) {
      // after warm-up
      times.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu += (d.user + d.system) / 1000;
    }
  }
}
times.sort((a, b) => a - b);
const q = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
console.log(
  JSON.stringify({
    bench: 'sop guided step (POST …/steps/:stepId, in-process)',
    database: database.kind,
    steps: times.length,
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    cpu_ms_per_step: Number((cpu / times.length).toFixed(2)),
  }),
);
await database.close();
await server?.drop();
