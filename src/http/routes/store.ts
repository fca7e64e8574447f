import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { AppContext } from '../../app/context.js';
import { importSnapshot } from '../../app/snapshot/import-snapshot.js';
import { exportSnapshot } from '../../app/snapshot/export-snapshot.js';
import { readSnapshot } from '../../app/snapshot/read-snapshot.js';
import { invalid } from '../../kernel/errors.js';
import { requireRole, type Env } from '../auth.js';
import { limitedChunks, type BodyLimits } from '../body.js';

/** Whole-store snapshot import and export (docs/snapshot-format.md); admin only. */
export function storeRoutes(ctx: AppContext, limits: Pick<BodyLimits, 'maxImportBytes'>) {
  return new Hono<Env>()
    .use('*', requireRole('admin'))
    .post('/import', async (c) => {
      const body = c.req.raw.body;
      if (!body)
        throw invalid(
          '(body)',
          'send a snapshot: JSON Lines (one record per line) or one JSON document {"customers": [], "products": [], "orders": []}',
        );
      const summary = await importSnapshot(
        ctx,
        readSnapshot(
          limitedChunks(
            body as unknown as AsyncIterable<Uint8Array>,
            limits.maxImportBytes,
            'SOPDESK_MAX_IMPORT_BYTES',
          ),
        ),
        { actor: c.get('actor') },
      );
      return c.json(summary);
    })
    .get('/export', (c) => {
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      c.header('content-disposition', 'attachment; filename="sopdesk-snapshot.jsonl"');
      return stream(
        c,
        async (s) => {
          await exportSnapshot(ctx, (chunk) => s.write(chunk).then(() => undefined));
        },
        async (err, s) => {
          // Headers are already sent: log, and end the stream so the client sees a truncated file.
          console.error('sopdesk: export failed', err);
          await s.close();
        },
      );
    });
}
