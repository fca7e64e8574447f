/**
 * On PostgreSQL only: two processes' wait workers (two connection pools over one database) pass at the same moment over
 * the same waiting runs whose event came: each run goes on exactly once — one process claims it, the other leaves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { openDatabase, rows, type Database } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { write } from '../../src/app/write.js';
import { SopEngine } from '../../src/sop/engine.js';
import { START } from '../../src/db/repo/event-cursor.js';
import { advanceWaits } from '../../src/sop/wait-worker.js';
import { fakeCatalogue, library, RETURN_WAIT_SOP } from '../support/sop-fakes.js';

const RUNS = 20;
let db: TestDb;
let other: Database;
let engines: [SopEngine, SopEngine];

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 4 });
  other = await openDatabase({ url: db.url!, poolSize: 4 });
  const engineOn = (database: Database) =>
    new SopEngine({
      ctx: { database, clock: new FixedClock(T0) },
      catalogue: fakeCatalogue().catalogue,
      library: library(RETURN_WAIT_SOP),
    });
  engines = [engineOn(db.database), engineOn(other)];
});
afterAll(async () => {
  await other.close();
  await db.drop();
});

describe('wait workers of two processes', () => {
  it('advance each waiting run whose event came exactly once', async () => {
    const [a, b] = engines;
    const ctx = a.deps.ctx;
    const runs: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const customerId = `cus_race${String(i).padStart(4, '0')}`;
      const returnId = `ret_race${String(i).padStart(4, '0')}`;
      const v = await a.start(
        { sopId: 'return-wait', inputs: { customerId, returnId } },
        { actor: { kind: 'system' } },
      );
      runs.push(v.id);
      await write(ctx, 'test', null, { actor: { kind: 'system' } }, ({ record }) =>
        record({
          type: 'return.declined',
          customerId,
          data: { returnId, trackingId: `RT-${i}`, from: 'requested', to: 'declined', reason: 'worn' },
        }),
      );
    }
    const passes = await Promise.all([
      advanceWaits(a, { after: START, leaveToAi: false }),
      advanceWaits(b, { after: START, leaveToAi: false }),
    ]);
    const advanced = passes.flatMap((p) => p.advanced);
    expect(advanced.sort()).toEqual([...runs].sort());
    const counts = await rows<{ runId: string; steps: number; finished: number }>(
      ctx.database.db,
      sql`select r.id as "runId",
          (select count(*)::int from sop_run_steps s where s.run_id = r.id and s.step_id = 'received') as steps,
          (select count(*)::int from timeline_events e where e.type = 'sop.run_finished' and e.data ->> 'runId' = r.id) as finished
        from sop_runs r where r.sop_id = 'return-wait' and r.status = 'completed'`,
    );
    expect(counts).toHaveLength(RUNS);
    expect(counts.every((c) => c.steps === 1 && c.finished === 1)).toBe(true);
  });
});
