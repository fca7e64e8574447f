import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { ListReturnsQuery, listReturns } from '../../app/returns/list-returns.js';
import type { Env } from '../auth.js';
import { parseQuery } from '../parse.js';

/** The returns of the store by status (the queue of returns waiting for a decision). */
export function returnRoutes(ctx: AppContext) {
  return new Hono<Env>().get('/', async (c) => c.json(await listReturns(ctx, parseQuery(c, ListReturnsQuery))));
}
