import type { Database } from '../../db/database.js';
import type { Clock } from '../../kernel/clock.js';
import type { ImsPort } from '../../domain/purchase-history.js';
import { builtinIms } from './builtin.js';

export { builtinIms };

/** SOPDESK_IMS_URL set → the HTTP client; otherwise the built-in stand-in in the database. */
export function openIms(opts: {
  url?: string | undefined;
  token?: string | undefined;
  database: Database;
  clock: Clock;
}): ImsPort {
  const { url, token } = opts;
  if (!url) return builtinIms(opts.database, opts.clock);
  // The HTTP client (and zod, which checks the IMS's answers) loads with the first push, not at every start.
  let client: Promise<ImsPort> | undefined;
  return {
    async pushPurchaseHistory(push) {
      client ??= import('./http.js').then(({ httpIms }) => httpIms({ baseUrl: url, token }));
      return (await client).pushPurchaseHistory(push);
    },
  };
}
