/**
 * sopdesk CLI: start | mcp | import FILE | export [FILE] | demo | token create|list|revoke
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { start } from './start.js';
import { openContext } from './open.js';
import { createToken } from '../app/tokens/tokens.js';
import { listTokens } from '../app/tokens/list-tokens.js';
import { revokeToken } from '../app/tokens/revoke-token.js';
import { isDomainError } from '../kernel/errors.js';

const USAGE = `usage: sopdesk <command>

  start                         run the server (PORT, DATABASE_URL, SOPDESK_DATA_DIR; see docs/configuration.md)
  mcp                           serve the agent tools over MCP on stdio (SOPDESK_MCP_ACTOR, SOPDESK_MCP_TOKEN)
  token create --role ROLE      make an API token (admin, agent, ai_agent, viewer)
  token list                    list API tokens (never their secrets)
  token revoke ID               revoke an API token
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start': {
      if (!config.databaseUrl && Number(process.env.SOPDESK_WORKERS ?? 1) > 1) process.stderr.write('sopdesk: SOPDESK_WORKERS is ignored on the embedded database, which one process owns\n');
      if (config.workers > 1) {
        const { startCluster } = await import('./cluster.js');
        await startCluster(config);
        return -1;
      }
      const s = await start(config);
      const stop = async () => {
        await s.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'mcp': {
      const { runMcpStdio } = await import('./mcp.js');
      await runMcpStdio(config);
      return -1;
    }
    case 'token': {
      const { values, positionals } = parseArgs({ args: rest, options: { role: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
      const [sub, id] = positionals;
      const valid = (sub === 'create' && values.role) || sub === 'list' || (sub === 'revoke' && id);
      if (!valid) {
        process.stderr.write('usage: sopdesk token create --role admin|agent|ai_agent|viewer [--name NAME]\n       sopdesk token list\n       sopdesk token revoke ID\n');
        return 2;
      }
      const ctx = await openContext(config);
      try {
        if (sub === 'create') {
          const t = await createToken(ctx, { role: values.role!, name: values.name });
          process.stdout.write(`${t.token}\n`);
          process.stderr.write(`created ${t.role} token ${t.id}; it is shown only this once\n`);
        } else if (sub === 'list') {
          for (const t of await listTokens(ctx)) {
            process.stdout.write(`${t.id}\t${t.role}\t${t.name}\tcreated ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`);
          }
        } else {
          const t = await revokeToken(ctx, { id: id! });
          process.stderr.write(`revoked ${t.role} token ${t.id} (${t.name})\n`);
        }
      } finally {
        await ctx.database.close();
      }
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (isDomainError(e)) process.stderr.write(`sopdesk: ${e.message}\n`);
    else process.stderr.write(`sopdesk: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
