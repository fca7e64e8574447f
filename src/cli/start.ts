import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Env } from '../http/auth.js';
import { health } from '../http/health.js';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createToken, hasTokens } from '../app/tokens/tokens.js';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { WEB_ROOT } from './web-build.js';
import { WIDGET_SCRIPT } from './widget-build.js';
import { storeIsEmpty } from '../app/snapshot/store-is-empty.js';

/** Makes sure an admin token exists and returns the one to print, if it can be shown. */
export async function ensureAdminToken(ctx: AppContext, config: Config): Promise<string | undefined> {
  if (config.adminToken) {
    await createToken(ctx, { role: 'admin', name: 'admin (SOPDESK_ADMIN_TOKEN)', secret: config.adminToken });
    return config.adminToken;
  }
  const file = join(config.dataDir, 'admin-token');
  if (!config.databaseUrl && existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (await hasTokens(ctx)) return undefined;
  const { token } = await createToken(ctx, { role: 'admin', name: 'admin' });
  // The embedded store is a local single-user install: keep the first token beside the data so it can be shown again.
  if (!config.databaseUrl) writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

export interface StartHooks {
  onEmpty?: (ctx: AppContext) => Promise<void>;
  /** Where the built web UI is; default dist/web. */
  webRoot?: string;
  /** A cluster worker (src/cli/cluster.ts): the primary already loaded the demo, made the admin token and prints. */
  worker?: boolean;
}

export async function start(
  config: Config,
  hooks: StartHooks = {},
): Promise<{ ctx: AppContext; url: string; close(): Promise<void> }> {
  const t0 = performance.now();
  const ctx = await openContext(config);
  let token: string | undefined;
  try {
    // Only a store with no customers, products or orders gets the demo: a restart never re-imports.
    if (!hooks.worker && config.demo && hooks.onEmpty && (await storeIsEmpty(ctx))) {
      await hooks.onEmpty(ctx);
      if (ctx.storeLock) await checkpoint(ctx);
    }
    token = hooks.worker ? undefined : await ensureAdminToken(ctx, config);
  } catch (e) {
    await ctx.database.close(); // and give the store up
    throw e;
  }
  // The server answers GET /health from here on; the HTTP stack (the routes, the tool catalogue and its schemas: most
  // of the code) loads behind it (`fetchWhileLoading`), and the background workers start once it has loaded.
  // CLI commands run beside this server through it (src/http/routes/cli.ts), with a secret made for this start.
  const cliSecret = ctx.storeLock ? randomBytes(32).toString('base64url') : undefined;
  const app = Promise.all([
    import('../http/app.js'),
    import('../agent/status.js'),
    import('../simulate/background.js'),
    import('../sop/engine.js'),
  ]).then(([{ createApp }, { registerAiConfig }, { simulationRunner }, { sopEngineFor }]) => {
    if (config.ai) registerAiConfig(ctx, config.ai); // what GET /v1/ai reports
    return createApp(ctx, {
      webRoot: hooks.webRoot ?? WEB_ROOT,
      shopify: { webhookSecret: config.shopifyWebhookSecret, currency: config.shopifyCurrency },
      limits: config.limits,
      origin: { publicUrl: config.publicUrl, trustProxy: config.trustProxy },
      cliSecret,
      widget: { script: WIDGET_SCRIPT, secret: config.widgetSecret, origins: config.widgetOrigins },
      simulations: simulationRunner(ctx, {
        library: sopEngineFor(ctx).deps.library,
        ai: config.ai,
        serverUrl: process.env.SOPDESK_SIM_DATABASE_URL?.trim() || undefined,
      }),
    });
  });
  app.catch(() => {}); // handled below, once the server listens
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: fetchWhileLoading(ctx, app), port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', (e) => {
      // The port is taken or not ours to use: give the store up before reporting it.
      void app
        .catch(() => {})
        .then(() => ctx.database.close())
        .finally(() => reject(e));
    });
  });
  let closing = false;
  const workers = app.then(() => (closing ? undefined : startWorkers(ctx, config)));
  // The embedded database runs no background checkpointer: without these, a reopen after kill -9 would replay every
  // change since the server started.
  const checkpoints = ctx.storeLock
    ? setInterval(
        () => void checkpoint(ctx).catch((e: unknown) => console.error('sopdesk: checkpoint failed', e)),
        CHECKPOINT_MS,
      )
    : undefined;
  checkpoints?.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = serverUrl(config, port);
  ctx.storeLock?.update({ url: loopbackUrl(config, port), secret: cliSecret });
  const ai = config.ai;
  if (!hooks.worker) printReady(url, ctx.database.kind, token, t0);
  if (!hooks.worker)
    console.log(
      ai
        ? `ai: the AI agent answers with ${ai.provider} ${ai.model}${ai.baseUrl ? ` at ${ai.baseUrl}` : ''}`
        : 'ai: off (set SOPDESK_AI_PROVIDER and SOPDESK_AI_MODEL to turn the AI agent on; docs/ai-agent.md)',
    );
  // Without this line, cancels and refunds of Shopify orders stay in sopdesk (docs/connectors.md, Shopify outbound).
  if (!hooks.worker && config.shopify)
    console.log(
      `shopify: cancels and refunds of Shopify orders are pushed to ${config.shopify.shop} (Admin API ${config.shopify.apiVersion})`,
    );
  if (config.imap)
    console.log(
      `email: reading ${config.imap.user} at ${config.imap.host}:${config.imap.port}/${config.imap.mailbox} (${config.imap.idle === false ? 'polling' : 'IDLE where offered'})`,
    );
  const close = async () => {
    closing = true;
    // Open event streams would hold the server open: end them first (their module came with the app).
    if (await app.then(() => true).catch(() => false)) {
      const { endLiveEvents } = await import('../app/live/live-events.js');
      await endLiveEvents(ctx);
    }
    await new Promise<void>((r) => server.close(() => r()));
    clearInterval(checkpoints);
    await (await workers.catch(() => undefined))?.stop();
    await ctx.database.close();
  };
  // A server whose API cannot load does not stay up answering /health alone.
  workers.catch((e: unknown) => {
    console.error('sopdesk: the server could not start:', e);
    process.exitCode = 1;
    void close();
  });
  return { ctx, url, close };
}

/**
 * The server's requests while the HTTP stack loads: GET /health is answered at once (the database is open and its
 * schema current), every other request waits for the app; once it is there, requests go straight to it.
 */
function fetchWhileLoading(ctx: AppContext, loading: Promise<Hono<Env>>): Parameters<typeof serve>[0]['fetch'] {
  let app: Hono<Env> | undefined;
  loading.then((a) => (app = a)).catch(() => {});
  return (req, env) => {
    if (app) return app.fetch(req, env);
    if ((req.method === 'GET' || req.method === 'HEAD') && new URL(req.url).pathname === '/health')
      return Response.json(health(ctx));
    return loading.then((a) => a.fetch(req, env));
  };
}

/**
 * The background work: the outbox, waiting SOP runs, the AI agent when it is on, the mailbox reader when one is configured. Their
 * modules load here, so a start never waits for them (nodemailer and imapflow load with the first mail sent or read).
 */
async function startWorkers(ctx: AppContext, config: Config): Promise<{ stop(): Promise<void> }> {
  const ai = config.ai;
  const [
    { startOutboxWorker },
    { smtpMailer },
    { startWebhookWorker },
    { httpWebhookSender },
    { startWaitWorker },
    { sopEngineFor },
    mailReader,
    agent,
  ] = await Promise.all([
    import('../app/outbox/dispatch-outbox.js'),
    import('../connectors/smtp-mailer.js'),
    import('../app/webhooks/deliver-webhooks.js'),
    import('../connectors/webhooks/http-sender.js'),
    import('../sop/wait-worker.js'),
    import('../sop/engine.js'),
    config.imap
      ? Promise.all([import('../app/email/read-mailbox.js'), import('../connectors/imap/imap-mailbox.js')])
      : undefined,
    ai ? Promise.all([import('../agent/model.js'), import('../agent/worker.js')]) : undefined,
  ]);
  const outbox = startOutboxWorker(ctx, {
    intervalMs: config.outboxIntervalMs,
    concurrency: config.outboxConcurrency,
    retentionDays: config.outboxRetentionDays,
    retrySchedule: config.outboxRetrySchedule,
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpFrom, config.smtpFromName) : undefined,
  });
  // Webhook deliveries have their own worker: a slow receiver takes up none of the outbox loops above.
  const webhooks = startWebhookWorker(ctx, {
    sender: httpWebhookSender({ allowPrivate: config.webhooks.allowPrivate }),
    intervalMs: config.outboxIntervalMs,
    concurrency: config.webhooks.concurrency,
    perSubscription: config.webhooks.perSubscription,
    timeoutMs: config.webhooks.timeoutMs,
    retrySchedule: config.outboxRetrySchedule,
  });
  // Waiting runs go on when their event commits or their deadline passes; the AI agent's own runs go on in its turns.
  const waits = startWaitWorker(sopEngineFor(ctx), { pollMs: WAIT_POLL_MS, leaveToAi: ai !== undefined });
  let aiWorker: { stop(): Promise<void> } | undefined;
  if (ai && agent) {
    const [{ createModel }, { startAiWorker }] = agent;
    aiWorker = startAiWorker(
      {
        ctx,
        engine: sopEngineFor(ctx),
        model: createModel(ai),
        budgets: ai.budgets,
        channels: ai.channels,
        verifiedChannels: ai.verifiedChannels,
      },
      ai.pollMs,
    );
  }
  // In a cluster each worker reads the mailbox too: a message two of them fetch is stored once (its Message-ID is the
  // idempotency key of the store, and the cursor only moves forward).
  let mail: { stop(): Promise<void> } | undefined;
  if (config.imap && mailReader) {
    const [{ startMailReader }, { imapMailbox }] = mailReader;
    mail = startMailReader(ctx, imapMailbox(config.imap), {
      pollMs: config.imap.pollMs,
      marketplaceRules: config.marketplaceRules,
    });
  }
  // Kogan orders come in by polling (Kogan calls no webhook); each new order is its own write, so pollers in a cluster
  // may overlap: an order two of them read is written once (channel + reference are unique).
  let kogan: { stop(): Promise<void> } | undefined;
  if (config.kogan && ctx.kogan) {
    const { startKoganPoller } = await import('../connectors/kogan/import-orders.js');
    kogan = startKoganPoller(ctx, ctx.kogan, config.kogan.pollMs);
  }
  return {
    stop: async () =>
      void (await Promise.all([
        outbox.stop(),
        webhooks.stop(),
        waits.stop(),
        aiWorker?.stop(),
        mail?.stop(),
        kogan?.stop(),
      ])),
  };
}

const CHECKPOINT_MS = 5 * 60_000;
/** How often waiting runs are checked for a passed deadline (their events wake the worker at once). */
const WAIT_POLL_MS = 30_000;

/** Writes the embedded store's changes into its files, so a reopen after a crash has little log to replay. */
async function checkpoint(ctx: AppContext): Promise<void> {
  await ctx.database.db.execute(sql`checkpoint`);
}

/** Where a process on this machine reaches the server. */
function loopbackUrl(config: Config, port: number): string {
  const host =
    config.host === '0.0.0.0' || config.host === '::' || config.host === 'localhost' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function serverUrl(config: Config, port: number): string {
  return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
}

export function printReady(url: string, kind: string, token: string | undefined, t0: number, workers = 1): void {
  console.log(
    `sopdesk is running at ${url}  (${kind} database${workers > 1 ? `, ${workers} workers` : ''}, ready in ${Math.round(performance.now() - t0)} ms)`,
  );
  console.log(
    token
      ? `admin token: ${token}`
      : 'admin token: printed at first start; make another with `sopdesk token create --role admin`',
  );
}
