/** The guided API's shapes (GET /v1/sop-runs/:id, docs/sop-format.md) and how the UI names a run's status. */
import type { SopRunView } from '../api/types';

export type { SopRunView } from '../api/types';

export const RUN_STATUS_LABEL: Record<SopRunView['status'], string> = {
  running: 'In progress',
  waiting: 'Waiting for an event',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  handed_off: 'Handed off to a person',
};

/** Where a recorded value no one typed came from (an evidence field's `from:` in the procedure). */
export function evidenceFrom(from: unknown): string | null {
  return from === 'conversation.ticket' ? "from the conversation's ticket" : null;
}
