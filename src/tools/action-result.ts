import { z } from 'zod';

/** The output of every write tool: runAction's `{ dryRun, preview, result }`. */
export function actionResult<P extends z.ZodType, R extends z.ZodType>(preview: P, result: R) {
  return z.object({
    dryRun: z.boolean().describe('True when this was only a preview: nothing changed'),
    preview: preview.describe('What would happen (dry run) or what happened: confirm it with the customer before running for real'),
    result: result.optional().describe('The outcome read back after the change; absent on a dry run'),
  });
}

export const DryRun = z.boolean().optional()
  .describe('true = preview only: answers what would happen (amounts, items, statuses) and changes nothing. Preview first, confirm with the customer, then call again without dryRun.');
