import { stream } from 'hono/streaming';
import { importSnapshot } from '../../app/snapshot/import-snapshot.js';
import { exportSnapshot } from '../../app/snapshot/export-snapshot.js';
import { readSnapshot } from '../../app/snapshot/read-snapshot.js';
import { invalid } from '../../kernel/errors.js';
import { ImportSummaryOut } from '../answers.js';
import { limitedChunks } from '../body.js';
import { defineRoute } from '../define-route.js';

/** Whole-store snapshot import and export (docs/snapshot-format.md); admin only. */
export const STORE_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/store/import',
    operationId: 'importStore',
    summary: 'Import a whole-store snapshot (admin; docs/snapshot-format.md)',
    tag: 'store',
    roles: ['admin'],
    idempotent: false,
    rawBody: {
      'application/json': {
        schema: { type: 'object', description: 'One JSON document {"customers": [], "products": [], "orders": []}' },
      },
      'application/x-ndjson': {
        schema: {
          type: 'string',
          description: 'JSON Lines: one record per line, {"type": "customer" | "product" | "order", …}',
        },
      },
    },
    ok: { status: 200, description: 'How many records of each kind were imported', schema: ImportSummaryOut },
    run: ({ ctx, server, c, opts }) => {
      const body = c.req.raw.body;
      if (!body)
        throw invalid(
          '(body)',
          'send a snapshot: JSON Lines (one record per line) or one JSON document {"customers": [], "products": [], "orders": []}',
        );
      const chunks = body as unknown as AsyncIterable<Uint8Array>;
      const snapshot = readSnapshot(limitedChunks(chunks, server.limits.maxImportBytes, 'SOPDESK_MAX_IMPORT_BYTES'));
      return importSnapshot(ctx, snapshot, { actor: opts.actor });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/store/export',
    operationId: 'exportStore',
    summary: 'Export the whole store as a snapshot (admin)',
    tag: 'store',
    roles: ['admin'],
    errors: [401, 403],
    ok: {
      status: 200,
      description: 'The snapshot as JSON Lines (application/x-ndjson), streamed; it can be imported again',
    },
    run: ({ ctx, c }) => {
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
    },
  }),
];
