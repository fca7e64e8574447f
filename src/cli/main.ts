/**
 * sopdesk CLI: start | import FILE | export [FILE] | demo | token create --role ROLE
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { start } from './start.js';
import { openContext } from './open.js';
import { createToken } from '../app/tokens/tokens.js';
import { isDomainError } from '../kernel/errors.js';
import { sopCommand } from './sop.js';

const USAGE = `usage: sopdesk <command>

  start                         run the server (PORT, DATABASE_URL, SOPDESK_DATA_DIR; see docs/configuration.md)
  token create --role ROLE      make an API token (admin, agent, ai_agent, viewer)
  sop list|show|lint|run|test|import   standard operating procedures (sopdesk sop help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const s = await start(config);
      const stop = async () => {
        await s.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'token': {
      const { values, positionals } = parseArgs({ args: rest, options: { role: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'create' || !values.role) {
        process.stderr.write('usage: sopdesk token create --role admin|agent|ai_agent|viewer [--name NAME]\n');
        return 2;
      }
      const ctx = await openContext(config);
      try {
        const t = await createToken(ctx, { role: values.role, name: values.name });
        process.stdout.write(`${t.token}\n`);
        process.stderr.write(`created ${t.role} token ${t.id}; it is shown only this once\n`);
      } finally {
        await ctx.database.close();
      }
      return 0;
    }
    case 'sop':
      return sopCommand(rest, config);
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
