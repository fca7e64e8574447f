/**
 * The answers of the REST routes that are not use-case views described elsewhere (products, tokens, return-window
 * rules, the store import, Shopify deliveries, the tool catalogue), each checked against the type its route answers.
 */
import { z } from 'zod';
import type { Describes } from '../app/describes.js';
import { isoTimeOut, minorUnits } from '../app/outputs.js';
import type { ImportSummary } from '../app/snapshot/import-snapshot.js';
import type { TokenInfo } from '../app/tokens/list-tokens.js';
import { ROLES } from '../domain/roles.js';
import { PRODUCT_KINDS } from '../domain/catalog.js';
import type { ShopifyWebhookResult } from '../connectors/shopify/receive-webhook.js';
import type { ProductRecord } from '../db/repo/catalog.js';
import type { ReturnPolicyRule } from '../domain/return-window.js';
import type { describeTool, summarizeTool } from './tools.js';

export const ProductOut = z
  .object({
    id: z.string().describe('Product id (prd_…)'),
    title: z.string().describe('Title'),
    category: z.string().nullable().describe('Category (return-window rules may name it)'),
    kind: z.enum(PRODUCT_KINDS).describe('physical (ships in packages) or digital_access (grants access codes)'),
    returnable: z.boolean().describe('False for a no-return product'),
    returnWindowDays: z.number().int().nullable().describe("The product's own return window in days; null = the rules"),
    createdAt: isoTimeOut('Created'),
    updatedAt: isoTimeOut('Last change'),
    variants: z
      .array(
        z.object({
          id: z.string().describe('Variant id (var_…)'),
          productId: z.string().describe('Product id'),
          sku: z.string().describe('Stock keeping unit'),
          title: z.string().describe('Variant title'),
          options: z.record(z.string(), z.string()).describe('Options, e.g. {"Color": "Black"}'),
          price: minorUnits('Price'),
          currency: z.string().describe('ISO-4217 currency code'),
          available: z.boolean().describe('Can be sold'),
          inventoryQuantity: z.number().int().nullable().describe('Units on hand; null when not tracked'),
        }),
      )
      .describe('Variants, by SKU'),
  })
  .describe('A product with its variants');
true satisfies Describes<typeof ProductOut, ProductRecord>;

export const TokenOut = z
  .object({
    id: z.string().describe('Token id (tok_…)'),
    name: z.string().describe('Who or what uses it'),
    role: z.enum(ROLES).describe('Role'),
    customerId: z
      .string()
      .nullable()
      .describe('The customer (cus_…) a bound token acts for: it reads and changes only their records; null = any'),
    createdAt: isoTimeOut('Created'),
    revokedAt: z.string().nullable().describe('When it was revoked, ISO-8601; null while accepted'),
  })
  .describe('An API token (the secret is never listed)');
true satisfies Describes<typeof TokenOut, TokenInfo>;

export const TokenCreatedOut = z.object({
  id: z.string().describe('Token id (tok_…)'),
  role: z.enum(ROLES).describe('Role'),
  customerId: z.string().nullable().describe('The customer (cus_…) the token is bound to; null = any'),
  token: z
    .string()
    .nullable()
    .describe(
      'The secret: store it now, it is not shown again (null when a retry under the same Idempotency-Key answers)',
    ),
});

export const ReturnPoliciesOut = z.object({
  policies: z
    .array(
      z.object({
        scope: z.enum(['category', 'channel', 'store']).describe('What the rule applies to'),
        key: z.string().describe('The category or channel; * for the store default'),
        windowDays: z.number().int().describe('Return window in days'),
      }),
    )
    .describe('Every return-window rule'),
});
true satisfies Describes<typeof ReturnPoliciesOut, { policies: ReturnPolicyRule[] }>;

export const ImportSummaryOut = z
  .object({
    customers: z.number().int().describe('Customers imported'),
    products: z.number().int().describe('Products imported'),
    orders: z.number().int().describe('Orders imported'),
    intoEmptyStore: z.boolean().describe('The store was empty before this import'),
  })
  .describe('What was imported');
true satisfies Describes<typeof ImportSummaryOut, ImportSummary>;

export const ShopifyWebhookOut = z
  .object({
    topic: z.string().describe('X-Shopify-Topic'),
    webhookId: z.string().describe('X-Shopify-Webhook-Id'),
    shop: z.string().describe('X-Shopify-Shop-Domain'),
    handled: z.boolean().describe('False for a topic sopdesk does not sync'),
    duplicate: z.boolean().describe('This delivery was applied before: nothing ran again'),
    orderId: z.string().optional().describe('The order it concerned'),
    customerId: z.string().optional().describe('The customer it concerned'),
    applied: z.array(z.string()).describe('Timeline events written, in order'),
    skipped: z
      .string()
      .optional()
      .describe('Why a payload of a synced topic was left aside: no_email or unknown_order'),
  })
  .describe('What the delivery changed');
true satisfies Describes<typeof ShopifyWebhookOut, ShopifyWebhookResult>;

const JsonSchemaOut = z.record(z.string(), z.unknown()).describe('A JSON Schema (draft 2020-12)');
export const ToolOut = z
  .object({
    name: z.string().describe('Tool name, e.g. get_order_details'),
    title: z.string().describe('Title'),
    description: z.string().describe('What it does, for a language model, with its refusals'),
    inputSchema: JsonSchemaOut,
    outputSchema: JsonSchemaOut,
    hints: z
      .object({
        readOnly: z.boolean().describe('Reads only'),
        destructive: z.boolean().describe('May refund, cancel or revoke: preview with dryRun and confirm first'),
        idempotent: z.boolean().describe('A retry with the same arguments and key has no further effect'),
      })
      .describe('Hints'),
  })
  .describe('A tool');
true satisfies Describes<typeof ToolOut, ReturnType<typeof describeTool>>;
export const ToolSummaryOut = ToolOut.pick({ name: true, title: true, hints: true }).describe(
  'A tool, without its description and schemas (GET /v1/tools/{name} has them)',
);
true satisfies Describes<typeof ToolSummaryOut, ReturnType<typeof summarizeTool>>;

export const PrincipalOut = z.object({ name: z.string().describe('Name'), role: z.enum(ROLES).describe('Role') });
export const SessionOut = PrincipalOut.extend({ expiresAt: z.string().describe('When the session ends, ISO-8601') });
