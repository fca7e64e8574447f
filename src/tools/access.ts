/**
 * The product-swap procedure tools: swap a purchased product for one of the same price, request access codes, read the
 * product codes back (the "product code API"), and sync the purchase history to the IMS.
 */
import { z } from 'zod';
import { swapPurchasedProduct } from '../app/access/swap-purchased-product.js';
import { requestProductCodes } from '../app/access/request-product-codes.js';
import { getProductCodes } from '../app/access/get-product-codes.js';
import { syncPurchaseHistory } from '../app/access/sync-purchase-history.js';
import {
  GetProductCodesInput,
  RequestProductCodesInput,
  SwapPurchasedProductInput,
  SyncPurchaseHistoryInput,
} from '../app/access/schemas.js';
import { ACCESS_POLICY } from '../domain/access-codes.js';
import { IMS_UNAVAILABLE_POLICY } from '../domain/purchase-history.js';
import { actionOptions, defineTool, DESTRUCTIVE, READ, WRITE, type ToolDefinition } from './define.js';
import { managedInShopify, noCustomer, refusal } from './refusals.js';

const canceled = refusal('order_canceled', 'the order is canceled', ACCESS_POLICY.orderCanceled);
import { asIs, presentAction, withOrderOut } from './present.js';
import { actionOutput, currencyOut, customerIdOut, dryRunArg, itemIdOut, minorUnits, summaryOut } from './schemas.js';
import { OrderResultOut, orderRefOut, ProductCodesOut, PurchaseEntryOut } from './change-outputs.js';

const ProductSide = z.object({
  variantId: z
    .string()
    .nullable()
    .describe('Variant id (var_…); null when the purchased variant is no longer in the catalogue'),
  productId: z
    .string()
    .nullable()
    .describe('Product id (prod_…); null when the purchased product is no longer in the catalogue'),
  productTitle: z.string().describe('Product title, e.g. "SleepCues BoardReview 3.0"'),
  sku: z.string().describe('Stock keeping unit / product code'),
  title: z.string().describe('Product and variant title'),
  unitPrice: minorUnits('Unit price'),
  price: z.string().describe('The unit price formatted for people, e.g. "$500.00"'),
});

const codeList = (what: string) => z.array(z.string()).describe(what);

const swapTool = defineTool({
  name: 'swap_purchased_product',
  title: 'Swap a purchased product for a same-priced one',
  description:
    'Switch a purchased item to a DIFFERENT product when the customer bought the wrong one (e.g. BoardReview 2.0 instead of 3.0), without a refund. ' +
    'Allowed only when the unit prices are exactly equal, in the same currency, and the new product is available. ' +
    'For digital access products the old access codes are revoked and new ones issued in the same step. ' +
    'Preview with dryRun (shows old/new product and price, codes to revoke and issue), make sure the customer is aware, then call again; ' +
    'afterwards call sync_purchase_history and get_product_codes to verify.',
  refusals: [
    canceled,
    refusal(
      'same_product',
      'the new product is the one bought (another variant is an exchange)',
      ACCESS_POLICY.sameProduct,
    ),
    refusal('product_kind_mismatch', 'digital access for physical, or the other way round', ACCESS_POLICY.kindMismatch),
    refusal(
      'currency_mismatch',
      'the new product is priced in another currency than the purchase',
      ACCESS_POLICY.priceMismatch,
    ),
    refusal(
      'price_mismatch',
      'the unit prices differ (the error gives `fromPrice` and `toPrice`)',
      ACCESS_POLICY.priceMismatch,
    ),
    refusal('variant_unavailable', 'the new product is not available', ACCESS_POLICY.variantUnavailable),
    refusal('line_shipped', 'a physical item has shipped', ACCESS_POLICY.lineShipped),
    managedInShopify(),
    noCustomer(),
  ],
  input: SwapPurchasedProductInput.safeExtend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      itemId: itemIdOut,
      quantity: z.number().int().describe('Units on the line (the whole line is swapped)'),
      currency: currencyOut,
      from: ProductSide.describe('The product purchased by mistake'),
      to: ProductSide.extend({
        variantId: z.string().describe('Variant id (var_…) of the correct product'),
        productId: z.string().describe('Product id (prod_…) of the correct product'),
      }).describe('The correct product, at the same unit price'),
      codesToRevoke: codeList('Active codes of the item that will be revoked'),
      codesToIssue: z
        .number()
        .int()
        .describe('How many new codes will be issued (one per unit; 0 for physical products or unpaid orders)'),
      summary: summaryOut,
      nextSteps: z
        .array(z.string())
        .describe('What to do after the swap: tell the customer, sync the purchase history, read the codes back'),
    }),
    OrderResultOut.extend({
      revokedCodes: codeList('The old access codes, now revoked'),
      issuedCodes: codeList('The new access codes, to give to the customer'),
    }),
  ),
  hints: DESTRUCTIVE,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(await swapPurchasedProduct(call.ctx, input, actionOptions(call, dryRun)), asIs, withOrderOut),
});

const requestCodesTool = defineTool({
  name: 'request_product_codes',
  title: 'Request access codes for a purchased item',
  description:
    'Issue access (product) codes for a paid digital access item that has none: one code per unit still paid for (refunded units get none; ' +
    'a fully refunded item is refused with item_refunded). Idempotent: when the item already has ' +
    'active codes nothing new is issued and the existing codes are returned (alreadyIssued: true).',
  refusals: [
    canceled,
    refusal('not_access_product', 'the item is not a digital access product', ACCESS_POLICY.notAccessProduct),
    refusal('order_unpaid', 'the order is not paid', ACCESS_POLICY.orderUnpaid),
    refusal('item_refunded', 'every unit of the item is refunded', ACCESS_POLICY.itemRefunded),
  ],
  input: RequestProductCodesInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      itemId: itemIdOut,
      sku: z.string().describe('Product code of the item'),
      existingCodes: codeList('Codes the item already has; when there are any, nothing is issued'),
      codesToIssue: z
        .number()
        .int()
        .describe('How many codes will be issued: one per unit, or 0 when the item already has codes'),
      summary: summaryOut,
    }),
    z.object({
      issuedCodes: codeList('New codes; empty when the item already had codes'),
      activeCodes: codeList('Every active code of the item now'),
      alreadyIssued: z.boolean().describe('true = the item already had codes and nothing new was issued'),
    }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => requestProductCodes(call.ctx, input, actionOptions(call, dryRun)),
});

const getCodesTool = defineTool({
  name: 'get_product_codes',
  title: 'Look up product (access) codes',
  description:
    "The product-code lookup: list a customer's access codes with their SKU and product, by email or IMS id (or customer id). " +
    'Use it after a swap to verify the new product code is listed. includeRevoked also lists codes revoked by a swap.',
  input: GetProductCodesInput,
  output: ProductCodesOut,
  hints: READ,
  run: (input, call) => getProductCodes(call.ctx, input),
});

const imsIdOut = z.string().describe("The customer's id in the IMS, e.g. IMS-1001");
const entries = (what: string) => z.array(PurchaseEntryOut).describe(what);

const syncTool = defineTool({
  name: 'sync_purchase_history',
  title: 'Sync the purchase history to the IMS',
  description:
    "Push the customer's current purchases (per item: SKU, product, quantity, active codes) to the internal management system (IMS), " +
    'finding the customer by email, IMS id or customer id, and report what changed since the last sync: changed true means the purchase ' +
    'history was updated (the "green box"); changed false means it was already up to date. Safe to repeat.',
  refusals: [
    refusal('no_ims_id', 'the customer has no IMS id', ACCESS_POLICY.noImsId),
    refusal(
      'ims_unavailable',
      'the IMS cannot be reached or answers otherwise than its contract',
      IMS_UNAVAILABLE_POLICY,
    ),
    refusal('ims_not_configured', 'no IMS connector is configured', ACCESS_POLICY.imsNotConfigured),
  ],
  input: SyncPurchaseHistoryInput.safeExtend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      customerId: customerIdOut,
      imsId: imsIdOut,
      entries: entries(
        'What will be sent: every item of every paid order (Paid or Partially refunded) that is not canceled, with the units still paid for',
      ),
      summary: summaryOut,
    }),
    z.object({
      customerId: customerIdOut,
      imsId: imsIdOut,
      syncedAt: z.string().describe('When the IMS was updated, ISO-8601'),
      changed: z.boolean().describe('true = the purchase history in the IMS changed with this sync'),
      added: entries('Items the IMS did not have before'),
      removed: entries('Items the IMS had that are no longer purchased (e.g. the order was canceled)'),
      updated: z
        .array(
          z.object({
            before: PurchaseEntryOut.describe('As the IMS had it'),
            after: PurchaseEntryOut.describe('As it is now (e.g. the new SKU and codes after a swap)'),
          }),
        )
        .describe('Items whose SKU, product, quantity or codes changed'),
      message: z.string().describe('e.g. "Purchase history has changed: 0 added, 0 removed, 1 updated."'),
    }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => syncPurchaseHistory(call.ctx, input, actionOptions(call, dryRun)),
});

export const accessTools: ToolDefinition[] = [swapTool, requestCodesTool, getCodesTool, syncTool];
