/**
 * The tools the built-in SOPs call, with the argument names agreed in the brief (customerId, orderId,
 * items: [{ itemId, quantity }], reason, email, summary, dryRun). Input schemas only: used to lint the
 * built-ins before the real tool families are merged. After the merge, lint them against TOOLS.
 */
import { z } from 'zod';
import { defineTool, DESTRUCTIVE, READ, WRITE, type ToolDefinition, type ToolHints } from '../../src/tools/define.js';

const customerId = z.string();
const orderId = z.string();
const items = z.array(z.object({ itemId: z.string(), quantity: z.number().int() }));
const dryRun = z.boolean().optional();

const tool = (name: string, input: z.ZodObject, hints: ToolHints = READ): ToolDefinition =>
  defineTool({ name, title: name, description: name, input, output: z.unknown(), hints, run: async () => ({}) }) as unknown as ToolDefinition;

export const AGREED_TOOLS: ToolDefinition[] = [
  tool('find_customer_by_email', z.object({ email: z.string() })),
  tool('active_orders', z.object({ customerId })),
  tool('summarize_orders', z.object({ customerId })),
  tool('get_order_details', z.object({ orderId })),
  tool('get_item_details', z.object({ orderId: orderId.optional(), itemId: z.string() })),
  tool('get_package_details', z.object({ packageId: z.string() })),
  tool('get_product_details', z.object({ productId: z.string() })),
  tool('check_return_eligibility', z.object({ orderId, items })),
  tool('initiate_return', z.object({ orderId, items, reason: z.string(), dryRun }), WRITE),
  tool('cancel_order', z.object({ orderId, reason: z.string(), dryRun }), DESTRUCTIVE),
  tool('refund_order', z.object({ orderId, items: items.optional(), reason: z.string(), dryRun }), DESTRUCTIVE),
  tool('swap_purchased_product', z.object({ orderId, itemId: z.string(), productId: z.string(), dryRun }), WRITE),
  tool('request_product_codes', z.object({ orderId, itemId: z.string(), dryRun }), WRITE),
  tool('sync_purchase_history', z.object({ customerId }), WRITE),
  tool('get_product_codes', z.object({ customerId })),
  tool('transfer_to_human_representative', z.object({ customerId, summary: z.string() }), WRITE),
];
