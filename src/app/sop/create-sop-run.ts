import { saveSopDocument, insertSopRun } from '../../db/repo/sop-runs.js';
import { emptyRunState, type SopRunState } from '../../domain/sop-run.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { loadSopRun, type SopRun } from './load-sop-run.js';

export interface CreateSopRunInput {
  sop: { id: string; version: string; hash: string; source: string };
  firstStepId: string;
  customerId?: string | null | undefined;
  conversationId?: string | null | undefined;
  inputs: Record<string, unknown>;
}

/** Stores a new run (and the exact SOP text it runs on) and puts `sop.run_started` on the timeline. */
export async function createSopRun(ctx: AppContext, input: CreateSopRunInput, opts: WriteOptions): Promise<SopRun> {
  const runId = await write(ctx, 'sop.start', input, opts, async ({ tx, now, actor, record }) => {
    const at = now.toISOString();
    const id = newId('sopRun', now.getTime());
    await saveSopDocument(tx, {
      hash: input.sop.hash,
      sopId: input.sop.id,
      version: input.sop.version,
      source: input.sop.source,
      createdAt: at,
    });
    const state: SopRunState = emptyRunState(input.inputs);
    await insertSopRun(tx, {
      id,
      sopId: input.sop.id,
      sopVersion: input.sop.version,
      sopHash: input.sop.hash,
      customerId: input.customerId ?? null,
      conversationId: input.conversationId ?? null,
      status: 'running',
      currentStepId: input.firstStepId,
      state,
      revision: 0,
      startedByKind: actor.kind,
      startedById: actor.id ?? null,
      createdAt: at,
      updatedAt: at,
    });
    await record({
      type: 'sop.run_started',
      customerId: input.customerId ?? null,
      data: {
        runId: id,
        sopId: input.sop.id,
        version: input.sop.version,
        conversationId: input.conversationId ?? null,
      },
    });
    return id;
  });
  return loadSopRun(ctx, runId);
}
