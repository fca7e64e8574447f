import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('runs two outbox loops on PostgreSQL and one on the embedded database, unless told otherwise', () => {
    expect(loadConfig({}).outboxConcurrency).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/sopdesk' }).outboxConcurrency).toBe(2);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://localhost/sopdesk', SOPDESK_OUTBOX_CONCURRENCY: '4' }).outboxConcurrency,
    ).toBe(4);
  });

  it('refuses an outbox concurrency that is not a whole number from 1 to 16, naming the variable', () => {
    for (const bad of ['0', '17', '1.5', 'two']) {
      expect(() => loadConfig({ SOPDESK_OUTBOX_CONCURRENCY: bad })).toThrow(
        /SOPDESK_OUTBOX_CONCURRENCY must be an integer from 1 to 16/,
      );
    }
  });

  it('keeps delivered outbox rows 7 days unless told otherwise; 0 keeps them all', () => {
    expect(loadConfig({}).outboxRetentionDays).toBe(7);
    expect(loadConfig({ SOPDESK_OUTBOX_RETENTION_DAYS: '0' }).outboxRetentionDays).toBe(0);
    expect(() => loadConfig({ SOPDESK_OUTBOX_RETENTION_DAYS: '-1' })).toThrow(/SOPDESK_OUTBOX_RETENTION_DAYS/);
  });

  it('retries a failed delivery on the default schedule (8 attempts over about 4 hours) unless told otherwise, and refuses a bad one', () => {
    expect(loadConfig({}).outboxRetrySchedule).toEqual([
      60_000, 180_000, 420_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
    ]);
    expect(loadConfig({ SOPDESK_OUTBOX_RETRY_SCHEDULE: ' 30s, 5m,2h ' }).outboxRetrySchedule).toEqual([
      30_000, 300_000, 7_200_000,
    ]);
    for (const bad of ['5', '1m,,2m', '1d', '-1m', '8h,200h']) {
      expect(() => loadConfig({ SOPDESK_OUTBOX_RETRY_SCHEDULE: bad })).toThrow(
        /SOPDESK_OUTBOX_RETRY_SCHEDULE must be comma-separated delays.*entry \d/,
      );
    }
  });

  it('turns the Shopify connector on only with a webhook secret, and takes the shop currency as an ISO-4217 code', () => {
    expect(loadConfig({}).shopifyWebhookSecret).toBeUndefined();
    expect(loadConfig({ SOPDESK_SHOPIFY_WEBHOOK_SECRET: 's3cret' }).shopifyWebhookSecret).toBe('s3cret');
    expect(loadConfig({}).shopifyCurrency).toBe('USD');
    expect(loadConfig({ SOPDESK_SHOPIFY_CURRENCY: 'JPY' }).shopifyCurrency).toBe('JPY');
    expect(() => loadConfig({ SOPDESK_SHOPIFY_CURRENCY: 'yen' })).toThrow(/SOPDESK_SHOPIFY_CURRENCY/);
  });

  it('pushes to Shopify only with both the shop and its access token; the API version defaults to a current stable one', () => {
    expect(loadConfig({}).shopify).toBeUndefined();
    expect(
      loadConfig({ SOPDESK_SHOPIFY_SHOP: 'acme.myshopify.com', SOPDESK_SHOPIFY_ACCESS_TOKEN: 'shpat_1' }).shopify,
    ).toEqual({ shop: 'acme.myshopify.com', accessToken: 'shpat_1', apiVersion: '2026-10' });
    expect(
      loadConfig({
        SOPDESK_SHOPIFY_SHOP: 'acme.myshopify.com',
        SOPDESK_SHOPIFY_ACCESS_TOKEN: 'shpat_1',
        SOPDESK_SHOPIFY_API_VERSION: '2026-07',
      }).shopify?.apiVersion,
    ).toBe('2026-07');
    expect(() => loadConfig({ SOPDESK_SHOPIFY_SHOP: 'acme.myshopify.com' })).toThrow(
      /SOPDESK_SHOPIFY_SHOP and SOPDESK_SHOPIFY_ACCESS_TOKEN/,
    );
    expect(() => loadConfig({ SOPDESK_SHOPIFY_SHOP: 'acme.com', SOPDESK_SHOPIFY_ACCESS_TOKEN: 'x' })).toThrow(
      /myshopify\.com/,
    );
    expect(() =>
      loadConfig({
        SOPDESK_SHOPIFY_SHOP: 'acme.myshopify.com',
        SOPDESK_SHOPIFY_ACCESS_TOKEN: 'x',
        SOPDESK_SHOPIFY_API_VERSION: 'latest',
      }),
    ).toThrow(/SOPDESK_SHOPIFY_API_VERSION/);
  });

  it('bounds request bodies by default and takes other limits in bytes, naming the variable when one is not a size', () => {
    expect(loadConfig({}).limits).toEqual({
      maxBodyBytes: 1024 * 1024,
      maxWebhookBodyBytes: 10 * 1024 * 1024,
      maxImportBytes: 1024 * 1024 * 1024,
    });
    expect(
      loadConfig({ SOPDESK_MAX_BODY_BYTES: '65536', SOPDESK_SHOPIFY_MAX_BODY_BYTES: '2097152' }).limits,
    ).toMatchObject({ maxBodyBytes: 65536, maxWebhookBodyBytes: 2097152 });
    expect(() => loadConfig({ SOPDESK_MAX_BODY_BYTES: '1mb' })).toThrow(/SOPDESK_MAX_BODY_BYTES/);
    expect(() => loadConfig({ SOPDESK_MAX_IMPORT_BYTES: '10' })).toThrow(
      /SOPDESK_MAX_IMPORT_BYTES must be a number of bytes of at least 1024/,
    );
  });

  it('takes a public URL and whether to trust the proxy in front', () => {
    expect(loadConfig({})).toMatchObject({ publicUrl: undefined, trustProxy: false });
    expect(loadConfig({ SOPDESK_PUBLIC_URL: 'https://desk.shop.example', SOPDESK_TRUST_PROXY: 'true' })).toMatchObject({
      publicUrl: 'https://desk.shop.example',
      trustProxy: true,
    });
    expect(() => loadConfig({ SOPDESK_PUBLIC_URL: 'desk.shop.example' })).toThrow(/SOPDESK_PUBLIC_URL/);
    expect(() => loadConfig({ SOPDESK_TRUST_PROXY: 'yes please' })).toThrow(/SOPDESK_TRUST_PROXY/);
  });

  it('reads the support mailbox from SOPDESK_IMAP_URL or from its parts, and refuses a URL that is not imap', () => {
    expect(loadConfig({}).imap).toBeUndefined();
    expect(loadConfig({ SOPDESK_IMAP_URL: 'imaps://support%40shop.test:p%40ss@mail.shop.test/Support' }).imap).toEqual({
      host: 'mail.shop.test',
      port: 993,
      tls: true,
      user: 'support@shop.test',
      password: 'p@ss',
      mailbox: 'Support',
      idle: true,
      pollMs: 30_000,
    });
    expect(
      loadConfig({
        SOPDESK_IMAP_HOST: 'mail.shop.test',
        SOPDESK_IMAP_TLS: 'false',
        SOPDESK_IMAP_USER: 'support',
        SOPDESK_IMAP_PASSWORD: 'x',
        SOPDESK_IMAP_IDLE: 'false',
        SOPDESK_IMAP_POLL_SECONDS: '5',
      }).imap,
    ).toMatchObject({ port: 143, tls: false, mailbox: 'INBOX', idle: false, pollMs: 5000 });
    expect(() => loadConfig({ SOPDESK_IMAP_URL: 'https://mail.shop.test' })).toThrow(
      /SOPDESK_IMAP_URL must start with imap/,
    );
    expect(() => loadConfig({ SOPDESK_IMAP_HOST: 'mail.shop.test' })).toThrow(/SOPDESK_IMAP_USER is required/);
  });

  it('reads marketplace rules as JSON and names the rule and field that is wrong', () => {
    const rules = [{ channel: 'kogan', from: '@kogan\\.com$', subject: 'ticket (\\S+)' }];
    expect(loadConfig({ SOPDESK_EMAIL_MARKETPLACE_RULES: JSON.stringify(rules) }).marketplaceRules).toEqual(rules);
    expect(() =>
      loadConfig({ SOPDESK_EMAIL_MARKETPLACE_RULES: '[{"channel":"ebay","from":"x","subject":"y"}]' }),
    ).toThrow(/rule 0: channel/);
    expect(() =>
      loadConfig({ SOPDESK_EMAIL_MARKETPLACE_RULES: '[{"channel":"kogan","from":"(","subject":"y"}]' }),
    ).toThrow(/rule 0: from is not a valid regular expression/);
  });
});
