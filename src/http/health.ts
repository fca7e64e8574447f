import type { AppContext } from '../app/context.js';

/** What GET /health answers: the server is up, and its database open with its schema current. */
export function health(ctx: AppContext): { status: 'ok'; database: 'embedded' | 'server' } {
  return { status: 'ok', database: ctx.database.kind };
}
