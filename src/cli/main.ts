/**
 * sopdesk CLI: start | mcp | import FILE | export [FILE] | demo | token create|list|revoke
 *
 * Each command loads its own modules when it runs: `start` never waits for the SOP importer, the simulator or the
 * snapshot code, and a restart starts opening the store before the HTTP stack has loaded (src/cli/start.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { StoreBusyError, storeOwner } from './store-lock.js';
import { isDomainError } from '../kernel/errors.js';
import type { AppContext } from '../app/context.js';

const USAGE = `usage: sopdesk <command>

  start                         run the server (PORT, DATABASE_URL, SOPDESK_DATA_DIR; see docs/configuration.md)
  mcp                           serve the agent tools over MCP on stdio (SOPDESK_MCP_ACTOR, SOPDESK_MCP_TOKEN)
  import FILE                   load a store snapshot (JSON Lines or JSON; - for stdin) in one transaction
  export [FILE]                 write the whole store as a JSON Lines snapshot (stdout without FILE)
  demo [--customers N] [--orders M] [--seed S] [--out FILE]
                                build the deterministic demo store (or write it as a snapshot)
  token create --role ROLE      make an API token (admin, agent, ai_agent, viewer);
                                --customer cus_… binds it to one customer
  token list                    list API tokens (never their secrets)
  token revoke ID               revoke an API token
  user create --email E --password P --role ROLE
                                make a web UI user who signs in with a password
  sop list|show|lint|run|test|import   standard operating procedures (sopdesk sop help)
  simulate [--sop ID] [--k 3] [--json]  prove the AI agent on simulated customers (sopdesk simulate help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start': {
      // Refused before the web UI is built, not after.
      const owner = config.databaseUrl ? undefined : storeOwner(config.dataDir);
      if (owner) {
        const { busyMessage } = await import('./open.js');
        throw new StoreBusyError(owner, busyMessage(config.dataDir, owner, 'start'));
      }
      if (process.env.SOPDESK_SKIP_WEB_BUILD !== 'true') {
        const { ensureWebBuild } = await import('./web-build.js');
        await ensureWebBuild((l) => console.log(l));
        const { ensureWidgetBuild } = await import('./widget-build.js');
        await ensureWidgetBuild();
      }
      if (!config.databaseUrl && Number(process.env.SOPDESK_WORKERS ?? 1) > 1)
        process.stderr.write('sopdesk: SOPDESK_WORKERS is ignored on the embedded database, which one process owns\n');
      if (config.workers > 1) {
        const { startCluster } = await import('./cluster.js');
        await startCluster(config);
        return -1;
      }
      const { start } = await import('./start.js');
      // The demo code loads only for an empty store.
      const onEmpty = async (ctx: AppContext) => (await import('./demo.js')).loadDemoOnFirstStart(config)(ctx);
      const s = await start(config, { onEmpty });
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
    case 'import':
      return (await import('./import.js')).runImport(config, rest[0]);
    case 'export':
      return (await import('./export.js')).runExport(config, rest[0]);
    case 'demo':
      return (await import('./demo.js')).runDemo(config, rest);
    case 'token': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { role: { type: 'string' }, name: { type: 'string' }, customer: { type: 'string' } },
        allowPositionals: true,
      });
      const [sub, id] = positionals;
      const valid = (sub === 'create' && values.role) || sub === 'list' || (sub === 'revoke' && id);
      if (!valid) {
        process.stderr.write(
          'usage: sopdesk token create --role admin|agent|ai_agent|viewer [--name NAME] [--customer cus_…]\n       sopdesk token list\n       sopdesk token revoke ID\n',
        );
        return 2;
      }
      const { openStore } = await import('./store-access.js');
      const store = await openStore(config, `token ${sub}`);
      try {
        if (sub === 'create') {
          const t = await store.createToken({ role: values.role!, name: values.name, customerId: values.customer });
          process.stdout.write(`${t.token}\n`);
          const bound = t.customerId ? ` bound to customer ${t.customerId}` : '';
          process.stderr.write(`created ${t.role} token ${t.id}${bound}; it is shown only this once\n`);
        } else if (sub === 'list') {
          for (const t of await store.listTokens()) {
            process.stdout.write(
              `${t.id}\t${t.role}\t${t.name}\tcreated ${t.createdAt}${t.customerId ? `\tcustomer ${t.customerId}` : ''}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`,
            );
          }
        } else {
          const t = await store.revokeToken(id!);
          process.stderr.write(`revoked ${t.role} token ${t.id} (${t.name})\n`);
        }
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'user': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          password: { type: 'string' },
          role: { type: 'string' },
          name: { type: 'string' },
        },
        allowPositionals: true,
      });
      const password = values.password ?? process.env.SOPDESK_USER_PASSWORD;
      if (positionals[0] !== 'create' || !values.email || !password || !values.role) {
        process.stderr.write(
          'usage: sopdesk user create --email EMAIL --password PASSWORD --role admin|agent|viewer [--name NAME]\n',
        );
        return 2;
      }
      const { openStore } = await import('./store-access.js');
      const store = await openStore(config, 'user create');
      try {
        const u = await store.createUser({ email: values.email, password, role: values.role, name: values.name });
        process.stderr.write(
          `created ${u.role} user ${u.email} (${u.id}); sign in to the web UI with this email and password\n`,
        );
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'sop':
      return (await import('./sop.js')).sopCommand(rest, config);
    case 'simulate':
      return (await import('./simulate.js')).simulateCommand(rest, config);
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
