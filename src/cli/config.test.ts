import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('runs two outbox loops on PostgreSQL and one on the embedded database, unless told otherwise', () => {
    expect(loadConfig({}).outboxConcurrency).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/sopdesk' }).outboxConcurrency).toBe(2);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/sopdesk', SOPDESK_OUTBOX_CONCURRENCY: '4' }).outboxConcurrency).toBe(4);
  });

  it('refuses an outbox concurrency that is not a whole number from 1 to 16, naming the variable', () => {
    for (const bad of ['0', '17', '1.5', 'two']) {
      expect(() => loadConfig({ SOPDESK_OUTBOX_CONCURRENCY: bad })).toThrow(/SOPDESK_OUTBOX_CONCURRENCY must be an integer from 1 to 16/);
    }
  });

  it('keeps delivered outbox rows 7 days unless told otherwise; 0 keeps them all', () => {
    expect(loadConfig({}).outboxRetentionDays).toBe(7);
    expect(loadConfig({ SOPDESK_OUTBOX_RETENTION_DAYS: '0' }).outboxRetentionDays).toBe(0);
    expect(() => loadConfig({ SOPDESK_OUTBOX_RETENTION_DAYS: '-1' })).toThrow(/SOPDESK_OUTBOX_RETENTION_DAYS/);
  });

  it('turns the Shopify connector on only with a webhook secret, and takes the shop currency as an ISO-4217 code', () => {
    expect(loadConfig({}).shopifyWebhookSecret).toBeUndefined();
    expect(loadConfig({ SOPDESK_SHOPIFY_WEBHOOK_SECRET: 's3cret' }).shopifyWebhookSecret).toBe('s3cret');
    expect(loadConfig({}).shopifyCurrency).toBe('USD');
    expect(loadConfig({ SOPDESK_SHOPIFY_CURRENCY: 'JPY' }).shopifyCurrency).toBe('JPY');
    expect(() => loadConfig({ SOPDESK_SHOPIFY_CURRENCY: 'yen' })).toThrow(/SOPDESK_SHOPIFY_CURRENCY/);
  });
});
