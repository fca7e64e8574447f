import type { Database } from '../../db/database.js';
import type { Clock } from '../../kernel/clock.js';
import type { ImsPort } from '../../domain/purchase-history.js';
import { builtinIms } from './builtin.js';
import { httpIms } from './http.js';

export { builtinIms, httpIms };

/** SOPDESK_IMS_URL set → the HTTP client; otherwise the built-in stand-in in the database. */
export function openIms(opts: {
  url?: string | undefined;
  token?: string | undefined;
  database: Database;
  clock: Clock;
}): ImsPort {
  return opts.url ? httpIms({ baseUrl: opts.url, token: opts.token }) : builtinIms(opts.database, opts.clock);
}
