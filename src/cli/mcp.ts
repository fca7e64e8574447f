/**
 * `sopdesk mcp`: the tool catalogue over MCP on stdin/stdout, for an MCP host (Claude Desktop, an agent
 * framework) that starts sopdesk itself. Opens the database like `start`; acts as an AI agent named by
 * SOPDESK_MCP_ACTOR, or as the owner of SOPDESK_MCP_TOKEN when given. stdout carries only the protocol.
 *
 * When a running server owns the embedded store, the same tools are served by that server: each message read on
 * stdin is sent to it (`/internal/cli/mcp`, src/http/routes/cli.ts) and its answer written to stdout, so an MCP host
 * configured with `sopdesk mcp` works whether or not `npm start` runs.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { actorFor, verifyToken } from '../app/tokens/tokens.js';
import { createMcpServer } from '../mcp/server.js';
import type { Caller } from '../tools/invoke.js';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { runningServer, type ServerEndpoint } from './store-access.js';
import { CLI_SECRET_HEADER, MCP_ACTOR_HEADER, MCP_TOKEN_HEADER } from '../http/routes/cli.js';
import { StoreBusyError } from './store-lock.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export async function runMcpStdio(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let ctx: Awaited<ReturnType<typeof openContext>>;
  try {
    ctx = await openContext(config, { command: 'mcp' });
  } catch (e) {
    const server = e instanceof StoreBusyError && e.owner.command === 'start' ? await runningServer(config) : undefined;
    if (!server) throw e;
    return bridgeToServer(config, server, env);
  }
  let caller: Caller = { role: 'ai_agent', actor: { kind: 'ai_agent', id: env.SOPDESK_MCP_ACTOR || 'mcp' } };
  if (env.SOPDESK_MCP_TOKEN) {
    const principal = await verifyToken(ctx, env.SOPDESK_MCP_TOKEN);
    if (!principal) {
      await ctx.database.close();
      throw new Error('SOPDESK_MCP_TOKEN is unknown or revoked');
    }
    caller = {
      role: principal.role,
      actor: actorFor(principal),
      ...(principal.customerId ? { customerId: principal.customerId } : {}),
    };
  }
  const server = createMcpServer(ctx, { caller });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => {});
    await ctx.database.close();
    process.exit(0);
  };
  process.stdin.once('end', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await server.connect(new StdioServerTransport());
  process.stderr.write(
    `sopdesk mcp: serving ${caller.actor.kind} ${caller.actor.id ?? ''} on stdio (${ctx.database.kind} database)\n`,
  );
}

/** Serves MCP on stdio by handing each message to the running server that owns the store, and its answer back. */
async function bridgeToServer(config: Config, first: ServerEndpoint, env: NodeJS.ProcessEnv): Promise<void> {
  const transport = new StdioServerTransport();
  const headers = (server: ServerEndpoint): Record<string, string> => ({
    [CLI_SECRET_HEADER]: server.secret,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(env.SOPDESK_MCP_TOKEN
      ? { [MCP_TOKEN_HEADER]: env.SOPDESK_MCP_TOKEN }
      : { [MCP_ACTOR_HEADER]: env.SOPDESK_MCP_ACTOR || 'mcp' }),
  });
  let server: ServerEndpoint | undefined = first;
  const forward = async (message: JSONRPCMessage): Promise<void> => {
    const id = 'id' in message ? message.id : undefined;
    try {
      // A restarted server has a new secret (and maybe port): look it up again when the last one stopped answering.
      server ??= await runningServer(config);
      if (!server) throw new Error('no sopdesk server runs on this store any more; start it again (npm start)');
      const res = await fetch(`${server.url}/internal/cli/mcp`, {
        method: 'POST',
        headers: headers(server),
        body: JSON.stringify(message),
      }).catch((e: unknown) => {
        server = undefined;
        throw e;
      });
      const text = await res.text();
      if (!text) return; // a notification: 202 without a body
      const answer = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[] | { error: { message: string } };
      if ('error' in answer && !('jsonrpc' in answer)) throw new Error(answer.error.message);
      for (const m of Array.isArray(answer) ? answer : [answer as JSONRPCMessage]) await transport.send(m);
    } catch (e) {
      if (id === undefined) return;
      const reason = e instanceof Error ? e.message : String(e);
      await transport.send({
        jsonrpc: '2.0',
        id,
        error: { code: -32603, message: `sopdesk mcp could not reach the sopdesk server: ${reason}` },
      });
    }
  };
  // One message at a time, in order, as a stdio server would answer them.
  let queue = Promise.resolve();
  transport.onmessage = (m) => {
    queue = queue.then(() => forward(m));
  };
  const shutdown = () => void queue.finally(() => process.exit(0));
  process.stdin.once('end', shutdown);
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await transport.start();
  process.stderr.write(
    `sopdesk mcp: serving on stdio through the sopdesk server at ${first.url}, which owns the embedded store\n`,
  );
}
