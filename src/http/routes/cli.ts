/**
 * `/internal/cli/…`: how `sopdesk token|user|import|export|demo|mcp` run while a server owns the embedded store
 * (src/cli/store-lock.ts). The server makes a secret at each start and keeps it, with its loopback URL, in the lock file
 * (mode 0600: only the owner's user can read it); a request without that secret is refused. Mounted only on a server
 * that owns an embedded store, and never documented in /openapi.json: it is not an API.
 *
 * Import, demo and export stream their answer as JSON Lines: progress and a last line saying how it ended, so the CLI
 * prints what it prints when it opens the store itself, and can tell a finished answer from a cut one.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { createToken, actorFor, verifyToken, type Principal } from '../../app/tokens/tokens.js';
import { listTokens } from '../../app/tokens/list-tokens.js';
import { customerIdArg } from '../../app/args.js';
import { revokeToken } from '../../app/tokens/revoke-token.js';
import { createUser } from '../../app/auth/create-user.js';
import { importSnapshot, type ImportProgress, type ImportSummary } from '../../app/snapshot/import-snapshot.js';
import { readSnapshot } from '../../app/snapshot/read-snapshot.js';
import { exportSnapshot } from '../../app/snapshot/export-snapshot.js';
import { loadDemo } from '../../app/demo/load-demo.js';
import { storeIsEmpty } from '../../app/snapshot/store-is-empty.js';
import { DomainError, conflict } from '../../kernel/errors.js';
import type { ToolDefinition } from '../../tools/define.js';
import type { Env } from '../auth.js';
import { parseBody } from '../parse.js';
import { mcpRoutes } from '../mcp.js';

export const CLI_SECRET_HEADER = 'x-sopdesk-cli-secret';
/** `sopdesk mcp` acts as this token's owner (SOPDESK_MCP_TOKEN), or else as the AI agent named by the actor header. */
export const MCP_TOKEN_HEADER = 'x-sopdesk-mcp-token';
export const MCP_ACTOR_HEADER = 'x-sopdesk-mcp-actor';

const TokenCreate = z
  .object({ role: z.string(), name: z.string().optional(), customerId: customerIdArg.optional() })
  .strict();
const UserCreate = z
  .object({ email: z.string(), password: z.string(), role: z.string(), name: z.string().optional() })
  .strict();
const DemoLoad = z
  .object({
    customers: z.number().int().min(0),
    orders: z.number().int().min(0),
    seed: z.string(),
    now: z.string().optional(),
  })
  .strict();

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Runs an import-like job, answering its progress and then `{ summary }` or `{ error }` as JSON Lines. */
function progressStream(c: Context, job: (onProgress: (p: ImportProgress) => void) => Promise<ImportSummary>) {
  c.header('content-type', 'application/x-ndjson; charset=utf-8');
  return stream(c, async (s) => {
    let pending = Promise.resolve();
    const send = (line: object) =>
      (pending = pending.then(() => s.write(JSON.stringify(line) + '\n').then(() => undefined)));
    try {
      const summary = await job((progress) => void send({ progress }));
      await send({ summary });
    } catch (e) {
      if (!(e instanceof DomainError)) console.error('sopdesk: a CLI command sent to the server failed', e);
      await send({
        error:
          e instanceof DomainError ? e.toJSON() : { code: 'internal', message: 'failed on the server; see its log' },
      });
    }
  });
}

export function cliRoutes(ctx: AppContext, secret: string, tools: readonly ToolDefinition[]) {
  const system = (id: string) => ({ kind: 'system' as const, id });
  const mcp = new Hono<Env>()
    .use('*', async (c, next) => {
      const token = c.req.header(MCP_TOKEN_HEADER);
      let principal: Principal | undefined;
      if (token) {
        principal = await verifyToken(ctx, token);
        if (!principal) throw new DomainError('unauthorized', 'SOPDESK_MCP_TOKEN is unknown or revoked.');
      } else principal = { tokenId: 'sopdesk-mcp', name: c.req.header(MCP_ACTOR_HEADER) || 'mcp', role: 'ai_agent' };
      c.set('principal', principal);
      c.set('actor', actorFor(principal));
      await next();
    })
    .route('/', mcpRoutes(ctx, tools));
  return new Hono<Env>()
    .use('*', async (c, next) => {
      if (!sameSecret(c.req.header(CLI_SECRET_HEADER), secret))
        throw new DomainError('unauthorized', 'Only the sopdesk CLI on this machine may call this.');
      await next();
    })
    .post('/tokens', async (c) => {
      const body = await parseBody(c, TokenCreate);
      return c.json(await createToken(ctx, body), 201);
    })
    .get('/tokens', async (c) => c.json(await listTokens(ctx)))
    .delete('/tokens/:id', async (c) => c.json(await revokeToken(ctx, { id: c.req.param('id') })))
    .post('/users', async (c) => {
      const body = await parseBody(c, UserCreate);
      return c.json(await createUser(ctx, body), 201);
    })
    .post('/import', (c) => {
      const body = c.req.raw.body;
      return progressStream(c, (onProgress) =>
        importSnapshot(ctx, readSnapshot((body ?? []) as unknown as AsyncIterable<Uint8Array>), {
          actor: system('import'),
          onProgress,
        }),
      );
    })
    .post('/demo', async (c) => {
      const body = await parseBody(c, DemoLoad);
      return progressStream(c, async (onProgress) => {
        if (!(await storeIsEmpty(ctx)))
          throw conflict(
            'the store is not empty; the demo store loads only into an empty database (or use --out FILE).',
          );
        return loadDemo(
          ctx,
          {
            customers: body.customers,
            orders: body.orders,
            seed: body.seed,
            now: body.now ? new Date(body.now) : undefined,
          },
          { actor: system('demo'), onProgress },
        );
      });
    })
    .get('/export', (c) => {
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      return stream(c, async (s) => {
        // The snapshot's lines, then one line the CLI takes off: how the export ended.
        try {
          const summary = await exportSnapshot(ctx, (chunk) => s.write(chunk).then(() => undefined));
          await s.write(JSON.stringify({ exportSummary: summary }) + '\n');
        } catch (e) {
          console.error('sopdesk: export for the CLI failed', e);
          await s.write(JSON.stringify({ exportError: 'failed on the server; see its log' }) + '\n');
        }
      });
    })
    .route('/mcp', mcp);
}
