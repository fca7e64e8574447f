/** Configuration comes from the environment; docs/configuration.md lists every variable. */
import { readAiConfig, type AiConfig } from '../agent/config.js';
import { DEFAULT_SHOPIFY_API_VERSION } from '../connectors/shopify/admin-client.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../app/outbox/retry-schedule.js';
import { DEFAULT_DISABLE_AFTER, DEFAULT_WEBHOOK_TIMEOUT_MS } from '../domain/webhook-events.js';
import { parseColumnMapping, type WorkBoardConfig } from '../domain/work-board.js';
import { MONDAY_API_URL } from '../connectors/monday/client.js';
import { parseImapUrl, type ImapSettings } from '../connectors/imap/imap-mailbox.js';
import type { MarketplaceRule } from '../domain/email.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IMPORT_BYTES, DEFAULT_MAX_WEBHOOK_BODY_BYTES } from '../kernel/limits.js';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; absent = the embedded database under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** Load the demo store into an empty database at start (default: yes for the embedded database). */
  demo: boolean;
  /** Size and seed of the demo store loaded on first start (besides its named cases). */
  demoCustomers: number;
  demoOrders: number;
  demoSeed: string;
  poolSize: number;
  /** Base URL of the internal management system's purchase-history API; absent = the built-in stand-in. */
  imsUrl: string | undefined;
  imsToken: string | undefined;
  /** Shopify's Admin API, where cancels and refunds of Shopify orders are pushed; absent = they are not pushed. */
  shopify: { shop: string; accessToken: string; apiVersion: string } | undefined;
  /** Kogan's Marketplace API v2: orders imported by polling; dispatches, cancels and refunds pushed. Absent = by hand. */
  kogan: { baseUrl: string; sellerId: string; sellerToken: string; pollMs: number } | undefined;
  /** `smtp://user:pass@host:587` or `smtps://…`; absent = outbound messages are kept in the thread, not emailed. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** SOPDESK_SMTP_FROM_NAME: the name beside the From address. */
  smtpFromName: string | undefined;
  /** The support mailbox read over IMAP (docs/email.md); absent = no email comes in. */
  imap: (ImapSettings & { pollMs: number }) | undefined;
  /** Mail a marketplace sends about a customer message, filed on its channel (SOPDESK_EMAIL_MARKETPLACE_RULES). */
  marketplaceRules: MarketplaceRule[];
  /** How often the outbox dispatcher polls, in milliseconds. */
  outboxIntervalMs: number;
  /** Dispatch loops per server process (default 2 on PostgreSQL, 1 on the embedded database, which runs one transaction at a time). */
  outboxConcurrency: number;
  /** Days a delivered outbox row is kept before it is pruned; 0 keeps them all. */
  outboxRetentionDays: number;
  /** Delays between a failed delivery's attempts, in ms; one attempt more than delays, then the row is given up. */
  outboxRetrySchedule: readonly number[];
  /** The work board (Monday, SOPDESK_MONDAY_*); absent = the Kogan procedure's board step is done by hand. */
  monday:
    | { token: string; boardId: string; groupId: string; columns: WorkBoardConfig['columns']; apiUrl: string }
    | undefined;
  /** Outbound webhooks (docs/webhooks.md): deliveries in flight per process and per subscription, timeout, when to disable. */
  webhooks: {
    concurrency: number;
    perSubscription: number;
    timeoutMs: number;
    disableAfter: number;
    allowPrivate: boolean;
  };
  /** Seconds an accepted API token is trusted without a database check; also the revocation delay across processes. */
  tokenCacheSeconds: number;
  /** Secret Shopify signs its webhooks with; absent = the Shopify connector is off. */
  shopifyWebhookSecret: string | undefined;
  /** The Shopify shop's currency (ISO-4217): product webhooks carry prices without one. */
  shopifyCurrency: string;
  /** Server processes sharing the port (PostgreSQL only; the embedded database is single-process). */
  workers: number;
  /** SOPDESK_PUBLIC_URL: the address people open sopdesk at; `https://…` makes the session cookie Secure. */
  publicUrl: string | undefined;
  /** SOPDESK_TRUST_PROXY: believe the proxy's X-Forwarded-Proto (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Largest request bodies, in bytes: the API, Shopify's webhooks, a snapshot import. */
  limits: { maxBodyBytes: number; maxWebhookBodyBytes: number; maxImportBytes: number };
  /** The AI agent's model and budgets (SOPDESK_AI_*); absent = no AI agent. */
  ai: AiConfig | undefined;
  /** SOPDESK_WIDGET_SECRET: the key stores sign their logged-in customer with for the chat widget; absent = anonymous only. */
  widgetSecret: string | undefined;
  /** SOPDESK_WIDGET_ORIGINS: storefront origins allowed to use the chat widget's API; empty = the widget is off. */
  widgetOrigins: string[];
}

/** SOPDESK_WIDGET_ORIGINS: comma-separated origins, each `http(s)://host[:port]` with no path. */
function widgetOrigins(env: NodeJS.ProcessEnv): string[] {
  const origins = (env.SOPDESK_WIDGET_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const o of origins)
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      throw new Error(
        `SOPDESK_WIDGET_ORIGINS must be comma-separated origins such as https://shop.example, got "${o}"`,
      );
  return origins;
}

function retrySchedule(env: NodeJS.ProcessEnv): readonly number[] {
  const raw = env.SOPDESK_OUTBOX_RETRY_SCHEDULE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  try {
    return parseRetrySchedule(raw);
  } catch (e) {
    throw new Error(
      `SOPDESK_OUTBOX_RETRY_SCHEDULE must be comma-separated delays such as 1m,5m,30m,2h: ${(e as Error).message}`,
    );
  }
}

/** SOPDESK_MONDAY_TOKEN, _BOARD_ID, _GROUP_ID and _COLUMNS go together; _API_URL defaults to Monday's. */
function mondayConfig(env: NodeJS.ProcessEnv): Config['monday'] {
  const names = ['TOKEN', 'BOARD_ID', 'GROUP_ID', 'COLUMNS'] as const;
  const set = names.filter((n) => env[`SOPDESK_MONDAY_${n}`]);
  if (!set.length) return undefined;
  if (set.length < names.length)
    throw new Error(
      `SOPDESK_MONDAY_TOKEN, _BOARD_ID, _GROUP_ID and _COLUMNS are set together; missing: ${names
        .filter((n) => !set.includes(n))
        .map((n) => `SOPDESK_MONDAY_${n}`)
        .join(', ')}`,
    );
  const boardId = env.SOPDESK_MONDAY_BOARD_ID!;
  if (!/^\d{1,20}$/.test(boardId))
    throw new Error(`SOPDESK_MONDAY_BOARD_ID must be a board's number, got "${boardId}"`);
  let columns: WorkBoardConfig['columns'];
  try {
    columns = parseColumnMapping(env.SOPDESK_MONDAY_COLUMNS!);
  } catch (e) {
    throw new Error(
      `SOPDESK_MONDAY_COLUMNS ${(e as Error).message}, e.g. {"orderNumber":"text_mkx1","amount":"numeric_mkx2"}`,
    );
  }
  const apiUrl = env.SOPDESK_MONDAY_API_URL || MONDAY_API_URL;
  if (!/^https?:\/\//.test(apiUrl)) throw new Error('SOPDESK_MONDAY_API_URL must start with http:// or https://');
  return { token: env.SOPDESK_MONDAY_TOKEN!, boardId, groupId: env.SOPDESK_MONDAY_GROUP_ID!, columns, apiUrl };
}

/** SOPDESK_WEBHOOK_*: each a whole number of at least 1; _ALLOW_PRIVATE true or false. */
function webhookConfig(env: NodeJS.ProcessEnv): Config['webhooks'] {
  const webhooks = {
    concurrency: count(env, 'SOPDESK_WEBHOOK_CONCURRENCY', 16),
    perSubscription: count(env, 'SOPDESK_WEBHOOK_PER_SUBSCRIPTION', 4),
    timeoutMs: count(env, 'SOPDESK_WEBHOOK_TIMEOUT_MS', DEFAULT_WEBHOOK_TIMEOUT_MS),
    disableAfter: count(env, 'SOPDESK_WEBHOOK_DISABLE_AFTER', DEFAULT_DISABLE_AFTER),
  };
  for (const [name, v] of Object.entries(webhooks))
    if (v < 1)
      throw new Error(`SOPDESK_WEBHOOK_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()} must be at least 1`);
  return { ...webhooks, allowPrivate: flag(env, 'SOPDESK_WEBHOOK_ALLOW_PRIVATE', false) };
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of 0 or more, got "${raw}"`);
  return n;
}

/** SOPDESK_SHOPIFY_SHOP and SOPDESK_SHOPIFY_ACCESS_TOKEN go together; the API version defaults to the client's. */
function shopifyConfig(env: NodeJS.ProcessEnv): Config['shopify'] {
  const shop = env.SOPDESK_SHOPIFY_SHOP || undefined;
  const accessToken = env.SOPDESK_SHOPIFY_ACCESS_TOKEN || undefined;
  if (!shop && !accessToken) return undefined;
  if (!shop || !accessToken)
    throw new Error('SOPDESK_SHOPIFY_SHOP and SOPDESK_SHOPIFY_ACCESS_TOKEN are set together, or neither');
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop) && !/^https?:\/\//.test(shop)) {
    throw new Error(`SOPDESK_SHOPIFY_SHOP must be the shop's myshopify.com domain (acme.myshopify.com), got "${shop}"`);
  }
  const apiVersion = env.SOPDESK_SHOPIFY_API_VERSION || DEFAULT_SHOPIFY_API_VERSION;
  if (!/^\d{4}-(01|04|07|10)$/.test(apiVersion))
    throw new Error(`SOPDESK_SHOPIFY_API_VERSION must be a Shopify API version such as 2026-10, got "${apiVersion}"`);
  return { shop, accessToken, apiVersion };
}

/** SOPDESK_KOGAN_URL, SOPDESK_KOGAN_SELLER_ID and SOPDESK_KOGAN_SELLER_TOKEN go together (the URL from Kogan's seller docs). */
function koganConfig(env: NodeJS.ProcessEnv): Config['kogan'] {
  const baseUrl = env.SOPDESK_KOGAN_URL || undefined;
  const sellerId = env.SOPDESK_KOGAN_SELLER_ID || undefined;
  const sellerToken = env.SOPDESK_KOGAN_SELLER_TOKEN || undefined;
  if (!baseUrl && !sellerId && !sellerToken) return undefined;
  if (!baseUrl || !sellerId || !sellerToken)
    throw new Error(
      'SOPDESK_KOGAN_URL, SOPDESK_KOGAN_SELLER_ID and SOPDESK_KOGAN_SELLER_TOKEN are set together, or none',
    );
  if (!/^https?:\/\/[^/]+\/?$/.test(baseUrl))
    throw new Error(`SOPDESK_KOGAN_URL must be the API's origin (scheme and host, no path), got "${baseUrl}"`);
  const seconds = count(env, 'SOPDESK_KOGAN_POLL_SECONDS', 300);
  if (seconds < 30) throw new Error(`SOPDESK_KOGAN_POLL_SECONDS must be 30 or more, got "${seconds}"`);
  return { baseUrl, sellerId, sellerToken, pollMs: seconds * 1000 };
}

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!['true', '1', 'false', '0'].includes(raw)) throw new Error(`${name} must be true or false, got "${raw}"`);
  return raw === 'true' || raw === '1';
};

/** SOPDESK_IMAP_URL, or the same in parts: SOPDESK_IMAP_HOST, _PORT, _USER, _PASSWORD, _TLS, _MAILBOX. */
function imapConfig(env: NodeJS.ProcessEnv): Config['imap'] {
  const pollSeconds = count(env, 'SOPDESK_IMAP_POLL_SECONDS', 30);
  if (pollSeconds < 1) throw new Error('SOPDESK_IMAP_POLL_SECONDS must be at least 1');
  const idle = flag(env, 'SOPDESK_IMAP_IDLE', true);
  let settings: ImapSettings;
  if (env.SOPDESK_IMAP_URL) {
    try {
      settings = parseImapUrl(env.SOPDESK_IMAP_URL);
    } catch (e) {
      throw new Error(`SOPDESK_IMAP_URL ${(e as Error).message}`);
    }
  } else if (env.SOPDESK_IMAP_HOST) {
    const tls = flag(env, 'SOPDESK_IMAP_TLS', true);
    const port = count(env, 'SOPDESK_IMAP_PORT', tls ? 993 : 143);
    if (port < 1 || port > 65535) throw new Error(`SOPDESK_IMAP_PORT must be a port number, got "${port}"`);
    if (!env.SOPDESK_IMAP_USER) throw new Error('SOPDESK_IMAP_USER is required with SOPDESK_IMAP_HOST');
    settings = {
      host: env.SOPDESK_IMAP_HOST,
      port,
      tls,
      user: env.SOPDESK_IMAP_USER,
      password: env.SOPDESK_IMAP_PASSWORD ?? '',
      mailbox: env.SOPDESK_IMAP_MAILBOX || 'INBOX',
    };
  } else return undefined;
  return {
    ...settings,
    ...(env.SOPDESK_IMAP_MAILBOX ? { mailbox: env.SOPDESK_IMAP_MAILBOX } : {}),
    idle,
    pollMs: pollSeconds * 1000,
  };
}

/** A JSON array of { channel, from, subject, customerEmail? } (src/domain/email.ts, MarketplaceRule). */
function marketplaceRules(env: NodeJS.ProcessEnv): MarketplaceRule[] {
  const raw = env.SOPDESK_EMAIL_MARKETPLACE_RULES;
  if (!raw) return [];
  const fail = (why: string): never => {
    throw new Error(`SOPDESK_EMAIL_MARKETPLACE_RULES: ${why}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('must be a JSON array such as [{"channel":"kogan","from":"@kogan\\.com$","subject":"Ticket (\\S+)"}]');
  }
  if (!Array.isArray(parsed)) return fail('must be a JSON array');
  return parsed.map((r: unknown, i): MarketplaceRule => {
    const o = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
    if (o.channel !== 'kogan' && o.channel !== 'marketplace') fail(`rule ${i}: channel must be kogan or marketplace`);
    for (const k of ['from', 'subject', 'customerEmail'] as const) {
      if (o[k] === undefined && k === 'customerEmail') continue;
      if (typeof o[k] !== 'string') fail(`rule ${i}: ${k} must be a regular expression (a string)`);
      try {
        new RegExp(o[k] as string);
      } catch (e) {
        fail(`rule ${i}: ${k} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    return {
      channel: o.channel as MarketplaceRule['channel'],
      from: o.from as string,
      subject: o.subject as string,
      ...(typeof o.customerEmail === 'string' ? { customerEmail: o.customerEmail } : {}),
    };
  });
}

function bytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = count(env, name, fallback);
  if (n < 1024) throw new Error(`${name} must be a number of bytes of at least 1024, got "${env[name]}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const poolSize = Number(env.SOPDESK_POOL_SIZE ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error(`SOPDESK_POOL_SIZE must be a positive integer, got "${env.SOPDESK_POOL_SIZE}"`);
  const tokenCacheSeconds = Number(env.SOPDESK_TOKEN_CACHE_SECONDS ?? 5);
  if (!Number.isFinite(tokenCacheSeconds) || tokenCacheSeconds < 0)
    throw new Error(
      `SOPDESK_TOKEN_CACHE_SECONDS must be a number of seconds (0 or more), got "${env.SOPDESK_TOKEN_CACHE_SECONDS}"`,
    );
  const workers = Number(env.SOPDESK_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`SOPDESK_WORKERS must be a positive integer, got "${env.SOPDESK_WORKERS}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  const smtpUrl = env.SOPDESK_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('SOPDESK_SMTP_URL must start with smtp:// or smtps://');
  const outboxIntervalMs = Number(env.SOPDESK_OUTBOX_INTERVAL_MS ?? 1000);
  if (!Number.isInteger(outboxIntervalMs) || outboxIntervalMs < 50)
    throw new Error(
      `SOPDESK_OUTBOX_INTERVAL_MS must be an integer of at least 50, got "${env.SOPDESK_OUTBOX_INTERVAL_MS}"`,
    );
  const outboxConcurrency = Number(env.SOPDESK_OUTBOX_CONCURRENCY ?? (databaseUrl ? 2 : 1));
  if (!Number.isInteger(outboxConcurrency) || outboxConcurrency < 1 || outboxConcurrency > 16) {
    throw new Error(
      `SOPDESK_OUTBOX_CONCURRENCY must be an integer from 1 to 16, got "${env.SOPDESK_OUTBOX_CONCURRENCY}"`,
    );
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  const imsUrl = env.SOPDESK_IMS_URL || undefined;
  if (imsUrl && !/^https?:\/\//.test(imsUrl)) throw new Error('SOPDESK_IMS_URL must start with http:// or https://');
  const shopifyCurrency = env.SOPDESK_SHOPIFY_CURRENCY || 'USD';
  if (!/^[A-Z]{3}$/.test(shopifyCurrency))
    throw new Error(`SOPDESK_SHOPIFY_CURRENCY must be an ISO-4217 code such as USD, got "${shopifyCurrency}"`);
  const publicUrl = env.SOPDESK_PUBLIC_URL || undefined;
  if (publicUrl && !/^https?:\/\/[^/]/.test(publicUrl))
    throw new Error(`SOPDESK_PUBLIC_URL must be an http:// or https:// URL, got "${publicUrl}"`);
  const trustProxy = env.SOPDESK_TRUST_PROXY === 'true' || env.SOPDESK_TRUST_PROXY === '1';
  if (env.SOPDESK_TRUST_PROXY && !['true', '1', 'false', '0'].includes(env.SOPDESK_TRUST_PROXY))
    throw new Error(`SOPDESK_TRUST_PROXY must be true or false, got "${env.SOPDESK_TRUST_PROXY}"`);
  const widgetSecret = env.SOPDESK_WIDGET_SECRET || undefined;
  if (widgetSecret && widgetSecret.length < 32)
    throw new Error('SOPDESK_WIDGET_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  return {
    widgetSecret,
    widgetOrigins: widgetOrigins(env),
    ai: readAiConfig(env),
    publicUrl,
    trustProxy,
    shopify: shopifyConfig(env),
    kogan: koganConfig(env),
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.SOPDESK_DATA_DIR || './.sopdesk',
    adminToken: env.SOPDESK_ADMIN_TOKEN || undefined,
    demo: env.SOPDESK_DEMO ? env.SOPDESK_DEMO !== 'false' && env.SOPDESK_DEMO !== '0' : !databaseUrl,
    demoCustomers: count(env, 'SOPDESK_DEMO_CUSTOMERS', 50),
    demoOrders: count(env, 'SOPDESK_DEMO_ORDERS', 300),
    demoSeed: env.SOPDESK_DEMO_SEED || 'sopdesk',
    poolSize,
    imsUrl,
    imsToken: env.SOPDESK_IMS_TOKEN || undefined,
    smtpUrl,
    smtpFrom: env.SOPDESK_SMTP_FROM || 'support@localhost',
    smtpFromName: env.SOPDESK_SMTP_FROM_NAME || undefined,
    imap: imapConfig(env),
    marketplaceRules: marketplaceRules(env),
    outboxIntervalMs,
    outboxConcurrency,
    outboxRetentionDays: count(env, 'SOPDESK_OUTBOX_RETENTION_DAYS', 7),
    outboxRetrySchedule: retrySchedule(env),
    webhooks: webhookConfig(env),
    monday: mondayConfig(env),
    tokenCacheSeconds,
    shopifyWebhookSecret: env.SOPDESK_SHOPIFY_WEBHOOK_SECRET || undefined,
    shopifyCurrency,
    workers: databaseUrl ? workers : 1,
    limits: {
      maxBodyBytes: bytes(env, 'SOPDESK_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
      maxWebhookBodyBytes: bytes(env, 'SOPDESK_SHOPIFY_MAX_BODY_BYTES', DEFAULT_MAX_WEBHOOK_BODY_BYTES),
      maxImportBytes: bytes(env, 'SOPDESK_MAX_IMPORT_BYTES', DEFAULT_MAX_IMPORT_BYTES),
    },
  };
}
