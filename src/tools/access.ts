/**
 * Seed 000 tools: swap a purchased product for one of the same price, request access codes, read the
 * product codes back (the "product code API"), and sync the purchase history to the IMS.
 */
import { z } from 'zod';
import { swapPurchasedProduct } from '../app/access/swap-purchased-product.js';
import { requestProductCodes } from '../app/access/request-product-codes.js';
import { getProductCodes } from '../app/access/get-product-codes.js';
import { syncPurchaseHistory } from '../app/access/sync-purchase-history.js';
import { GetProductCodesInput, RequestProductCodesInput, SwapPurchasedProductInput, SyncPurchaseHistoryInput } from '../app/access/schemas.js';
import { defineTool, DESTRUCTIVE, READ, WRITE, type ToolCall, type ToolDefinition } from './define.js';
import { actionOutput, DryRun, Money, OrderViewOut, PurchaseEntryOut } from './change-outputs.js';

const opts = (call: ToolCall, dryRun: boolean) => ({ actor: call.actor, idempotencyKey: call.idempotencyKey, dryRun });

const ProductSide = z.object({
  variantId: z.string().nullable(), productId: z.string().nullable(), productTitle: z.string(), sku: z.string(), title: z.string(),
  unitPrice: Money('Unit price'), price: z.string().describe('The unit price formatted for people, e.g. "$500.00"'),
});

const swapTool = defineTool({
  name: 'swap_purchased_product',
  title: 'Swap a purchased product for a same-priced one',
  description:
    'Switch a purchased item to a DIFFERENT product when the customer bought the wrong one (e.g. BoardReview 2.0 instead of 3.0), without a refund. '
    + 'Allowed only when the unit prices are exactly equal, in the same currency, and the new product is available. '
    + 'For digital access products the old access codes are revoked and new ones issued in the same step. '
    + 'Preview with dryRun (shows old/new product and price, codes to revoke and issue), make sure the customer is aware, then call again; '
    + 'afterwards call sync_purchase_history and get_product_codes to verify.',
  input: SwapPurchasedProductInput.safeExtend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({
      orderId: z.string(), orderName: z.string(), itemId: z.string(), quantity: z.number().int(), currency: z.string(),
      from: ProductSide, to: ProductSide,
      codesToRevoke: z.array(z.string()).describe('Active codes of the item that will be revoked'),
      codesToIssue: z.number().int().describe('How many new codes will be issued (one per unit)'),
      summary: z.string(), nextSteps: z.array(z.string()),
    }),
    z.object({
      order: OrderViewOut,
      revokedCodes: z.array(z.string()),
      issuedCodes: z.array(z.string()).describe('The new access codes, to give to the customer'),
    }),
  ),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => swapPurchasedProduct(call.ctx, input, opts(call, dryRun)),
});

const requestCodesTool = defineTool({
  name: 'request_product_codes',
  title: 'Request access codes for a purchased item',
  description:
    'Issue access (product) codes for a paid digital access item that has none: one code per unit. Idempotent: when the item already has '
    + 'active codes nothing new is issued and the existing codes are returned (alreadyIssued: true).',
  input: RequestProductCodesInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({
      orderId: z.string(), orderName: z.string(), itemId: z.string(), sku: z.string(),
      existingCodes: z.array(z.string()), codesToIssue: z.number().int(), summary: z.string(),
    }),
    z.object({
      issuedCodes: z.array(z.string()).describe('New codes; empty when the item already had codes'),
      activeCodes: z.array(z.string()).describe('Every active code of the item now'),
      alreadyIssued: z.boolean(),
    }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => requestProductCodes(call.ctx, input, opts(call, dryRun)),
});

const getCodesTool = defineTool({
  name: 'get_product_codes',
  title: 'Look up product (access) codes',
  description:
    "The product-code lookup: list a customer's access codes with their SKU and product, by email or IMS id (or customer id). "
    + 'Use it after a swap to verify the new product code is listed. includeRevoked also lists codes revoked by a swap.',
  input: GetProductCodesInput,
  output: z.object({
    customer: z.object({ id: z.string(), name: z.string(), emails: z.array(z.string()), imsId: z.string().nullable() }),
    codes: z.array(z.object({
      id: z.string(), code: z.string(), sku: z.string().describe('The product code the access belongs to'),
      productId: z.string().nullable(), productTitle: z.string().nullable(),
      status: z.enum(['active', 'revoked']), issuedAt: z.string(), revokedAt: z.string().nullable(),
      orderId: z.string(), orderName: z.string(), itemId: z.string(),
    })).describe('Active codes first (newest first), then revoked ones'),
  }),
  hints: READ,
  run: (input, call) => getProductCodes(call.ctx, input),
});

const syncTool = defineTool({
  name: 'sync_purchase_history',
  title: 'Sync the purchase history to the IMS',
  description:
    "Push the customer's current purchases (per item: SKU, product, quantity, active codes) to the internal management system (IMS), "
    + 'finding the customer by email, IMS id or customer id, and report what changed since the last sync: changed true means the purchase '
    + 'history was updated (the "green box"); changed false means it was already up to date. Safe to repeat.',
  input: SyncPurchaseHistoryInput.safeExtend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({ customerId: z.string(), imsId: z.string(), entries: z.array(PurchaseEntryOut), summary: z.string() }),
    z.object({
      customerId: z.string(), imsId: z.string(), syncedAt: z.string(),
      changed: z.boolean().describe('true = the purchase history in the IMS changed with this sync'),
      added: z.array(PurchaseEntryOut), removed: z.array(PurchaseEntryOut),
      updated: z.array(z.object({ before: PurchaseEntryOut, after: PurchaseEntryOut })),
      message: z.string().describe('e.g. "Purchase history has changed: 0 added, 0 removed, 1 updated."'),
    }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => syncPurchaseHistory(call.ctx, input, opts(call, dryRun)),
});

export const accessTools: ToolDefinition[] = [swapTool, requestCodesTool, getCodesTool, syncTool] as unknown as ToolDefinition[];
