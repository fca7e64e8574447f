/**
 * Read tools (those the Handling Returns procedure names, and the lookups agents need): find the customer, their orders, an order, an item, a package, a product.
 * They change nothing; every role may call them.
 */
import { z } from 'zod';
import { boundedText } from '../app/args.js';
import { findCustomers, type CustomerQuery } from '../app/customers/find-customers.js';
import { getCustomerDetails } from '../app/customers/get-customer-details.js';
import { listCustomerOrders } from '../app/orders/list-customer-orders.js';
import { summarizeOrders } from '../app/orders/summarize-orders.js';
import { getOrderDetails } from '../app/orders/get-order-details.js';
import { getItemDetails } from '../app/orders/get-item-details.js';
import { getPackageDetails } from '../app/orders/get-package-details.js';
import { getProductDetails } from '../app/catalog/get-product-details.js';
import { listProducts } from '../app/catalog/list-products.js';
import { formatDate } from '../domain/order-status.js';
import { ReturnWindowOut } from '../app/returns/schemas.js';
import { defineTool, READ, type ToolDefinition } from './define.js';
import { customerOut, itemOut, moneyOut, orderOut, orderSummaryOut, packageOut, productOut } from './present.js';
import {
  CustomerListOut,
  CustomerOut,
  customerIdArg,
  ItemOut,
  MoneyOut,
  itemIdArg,
  OrderOut,
  OrderSummaryOut,
  orderIdArg,
  PackageOut,
  packageIdArg,
  ProductOut,
  productIdArg,
  ShipmentStatusOut,
  customerIdOut,
  itemIdOut,
  orderIdOut,
  orderNameOut,
} from './schemas.js';

/** The find_customer_* tools: each turns its arguments into one customer query and lists the matches. */
function findCustomerTool<S extends z.ZodRawShape>(d: {
  name: string;
  title: string;
  description: string;
  args: S;
  query: (args: z.infer<z.ZodObject<S>>) => CustomerQuery;
}) {
  return defineTool({
    name: d.name,
    title: d.title,
    description: d.description,
    input: z.object(d.args),
    output: CustomerListOut,
    hints: READ,
    run: async (input, { ctx, caller }) => {
      const found = await findCustomers(ctx, d.query(input));
      // A caller acting for one customer finds only them: another customer's name or phone is no match.
      const scope = caller?.customerId;
      const customers = (scope ? found.filter((c) => c.id === scope) : found).map(customerOut);
      return { count: customers.length, customers };
    },
  });
}

const findByEmail = findCustomerTool({
  name: 'find_customer_by_email',
  title: 'Find customer by email',
  description:
    'Finds the customer registered with an email address (any of their addresses, case-insensitive). Step 1 of every procedure: ask the customer for their registered email. An empty list means no match — ask again; do not guess.',
  args: {
    email: boundedText('email').trim().min(3).describe('The email address the customer gives, e.g. "ana@example.com"'),
  },
  query: ({ email }) => ({ by: 'email', email }),
});

const findByNameZip = findCustomerTool({
  name: 'find_customer_by_name_zip',
  title: 'Find customer by name and postal code',
  description:
    'Finds a customer by full name and the postal code of one of their saved addresses, when they cannot give their email. Name match is exact but case-insensitive; spaces in the postal code are ignored.',
  args: {
    name: boundedText('name').trim().min(1).describe('Full name, e.g. "Ana Lima"'),
    zip: boundedText('code').trim().min(1).describe('Postal code of a saved address, e.g. "2000"'),
  },
  query: ({ name, zip }) => ({ by: 'name_zip', name, zip }),
});

const findByPhone = findCustomerTool({
  name: 'find_customer_by_phone',
  title: 'Find customer by phone',
  description: 'Finds a customer by phone number; only the digits count, so "+61 2 5550 1234" and "61255501234" match.',
  args: {
    phone: boundedText('phone').trim().min(4).describe('Phone number with country code as the customer gives it'),
  },
  query: ({ phone }) => ({ by: 'phone', phone }),
});

const customerDetails = defineTool({
  name: 'get_customer_details',
  title: 'Get customer details',
  description:
    "A customer's profile: emails, phone, saved addresses, payment methods (with gift card balances) and ids in other systems.",
  input: z.object({ customerId: customerIdArg }),
  output: CustomerOut,
  hints: READ,
  run: async (input, { ctx }) => customerOut(await getCustomerDetails(ctx, input.customerId)),
});

const activeOrders = defineTool({
  name: 'active_orders',
  title: 'Active orders',
  description:
    "The customer's open orders (not canceled, not archived), newest first, with their items, statuses and packages. Use it when the customer does not know the order number.",
  input: z.object({
    customerId: customerIdArg,
    limit: z.number().int().min(1).max(50).default(20).describe('At most this many orders (1–50, default 20)'),
  }),
  output: z.object({
    customerId: customerIdOut,
    count: z.number().int().describe('How many open orders are listed'),
    orders: z.array(OrderSummaryOut).describe('Open orders, newest first'),
  }),
  hints: READ,
  run: async (input, { ctx }) => {
    const orders = await listCustomerOrders(ctx, {
      customerId: input.customerId,
      activeOnly: true,
      limit: input.limit,
    });
    return { customerId: input.customerId, count: orders.length, orders: orders.map(orderSummaryOut) };
  },
});

const summarize = defineTool({
  name: 'summarize_orders',
  title: 'Summarize orders',
  description:
    'Plain sentences to read out to the customer: each open order (or every order) with its items, total and status, so the customer can say which order they mean.',
  input: z.object({
    customerId: customerIdArg,
    activeOnly: z.boolean().default(true).describe('true (default): open orders only; false: every order'),
  }),
  output: z.object({
    customerId: customerIdOut,
    count: z.number().int().describe('How many orders are summarized'),
    text: z.string().describe('One sentence per order, ready to read out'),
    orders: z
      .array(
        z.object({
          orderId: orderIdOut,
          name: orderNameOut,
          placedAt: z.string().describe('Date placed, YYYY-MM-DD'),
          status: z.string().describe('Order, financial and fulfillment status labels, with package labels'),
          items: z.array(z.string()).describe('"quantity × title (SKU)" per item'),
          total: z.string().describe('Formatted order total, e.g. "$129.00"'),
        }),
      )
      .describe('The same orders, one object each'),
  }),
  hints: READ,
  run: async (input, { ctx }) => {
    const s = await summarizeOrders(ctx, { customerId: input.customerId, activeOnly: input.activeOnly });
    return {
      customerId: s.customerId,
      count: s.count,
      text: s.text,
      orders: s.orders.map(({ id, ...o }) => ({ orderId: id, ...o })),
    };
  },
});

const orderDetails = defineTool({
  name: 'get_order_details',
  title: 'Get order details',
  description:
    'Everything about one order: statuses with labels (Open/Canceled, Paid/Refunded/…, Fulfilled/…), items with delivered quantities and returnability, packages with tracking, totals (captured, refunded, refundable) and payments.',
  input: z.object({ orderId: orderIdArg }),
  output: OrderOut,
  hints: READ,
  run: async (input, { ctx }) => orderOut(await getOrderDetails(ctx, input)),
});

const itemDetails = defineTool({
  name: 'get_item_details',
  title: 'Get item details',
  description:
    'One item (order line): its product, whether it is returnable, the return window (counted from order placement) and whether it is still open, how many units were delivered, and the packages holding it with their status. A return needs: returnable, window open, and the package DELIVERED; check_return_eligibility gives the final answer.',
  input: z.object({ itemId: itemIdArg }),
  output: ItemOut.extend({
    orderId: orderIdOut,
    orderName: orderNameOut,
    orderPlacedAt: z.string().describe('When the order was placed, ISO-8601'),
    productKind: z.string().nullable().describe('physical or digital_access'),
    category: z.string().nullable().describe('Catalogue category'),
    returnWindow: ReturnWindowOut.describe('The return window of this item, as check_return_eligibility reports it'),
    returnableQuantity: z
      .number()
      .int()
      .describe(
        'Units that can be returned now: delivered, less units already returned or in a return request, less units exchanged; 0 when not returnable or the window closed',
      ),
    returnSummary: z.string().describe('One sentence on returnability, window and delivery, to guide the next step'),
    packages: z
      .array(
        z.object({
          packageId: z.string().describe('Package id (pkg_…)'),
          status: ShipmentStatusOut,
          statusLabel: z.string().describe('e.g. "Arriving on 24 November 2026" or Delivered'),
          quantity: z.number().int().describe('Units of this item in the package'),
        }),
      )
      .describe('Packages holding this item'),
  }),
  hints: READ,
  run: async (input, { ctx }) => {
    const d = await getItemDetails(ctx, input);
    const item = d.item;
    const w = d.eligibility.window;
    const summary = returnSummary(
      item.returnable,
      w.open,
      formatDate(w.deadline),
      item.deliveredQuantity,
      item.quantity,
      d.eligibility.returnableQuantity,
    );
    return {
      ...itemOut(item, d.order.currency),
      orderId: d.order.id,
      orderName: d.order.name,
      orderPlacedAt: d.order.placedAt,
      productKind: item.productKind,
      category: item.category,
      returnWindow: w,
      returnableQuantity: d.eligibility.returnableQuantity,
      returnSummary: summary,
      packages: d.packages.map((p) => ({
        packageId: p.id,
        status: p.status,
        statusLabel: p.statusLabel,
        quantity: p.items.filter((i) => i.lineId === item.id).reduce((n, i) => n + i.quantity, 0),
      })),
    };
  },
});

function returnSummary(
  returnable: boolean,
  open: boolean,
  endsOn: string,
  delivered: number,
  quantity: number,
  returnableNow: number,
): string {
  if (!returnable) return 'Not returnable: the product has a no-return policy (it is refunded without a return).';
  const progress = `${delivered} of ${quantity} delivered`;
  if (!open) return `Returnable product, but the return window closed on ${endsOn}; ${progress}.`;
  if (delivered > 0 && returnableNow < delivered) {
    return `Return window open until ${endsOn}; ${progress}, of which ${delivered - returnableNow} already returned, in a return request or exchanged: ${returnableNow} can be returned now.`;
  }
  if (delivered === 0)
    return `Return window open until ${endsOn}, but nothing is delivered yet: it can be returned after it is delivered.`;
  if (delivered < quantity)
    return `Return window open until ${endsOn}; ${progress}: the delivered units can be returned, the others once delivered.`;
  return `Return window open until ${endsOn}; ${progress}.`;
}

const packageDetails = defineTool({
  name: 'get_package_details',
  title: 'Get package details',
  description:
    'A package (shipment): status — a return needs delivered (DELIVERED) — with its label ("Arriving on 24 November 2026", Out for delivery, …), carrier, tracking number and link, and the items inside.',
  input: z.object({ packageId: packageIdArg }),
  output: PackageOut.omit({ items: true }).extend({
    orderId: orderIdOut,
    orderName: orderNameOut,
    customerId: customerIdOut.nullable().describe('Customer id (cus_…); null for an order without a known customer'),
    delivered: z.boolean().describe('True once delivered: only then can its items be returned'),
    items: z
      .array(
        z.object({
          itemId: itemIdOut,
          sku: z.string().describe('Product code'),
          title: z.string().describe('Product and variant title'),
          quantity: z.number().int().describe('Units in this package'),
        }),
      )
      .describe('What the package holds'),
  }),
  hints: READ,
  run: async (input, { ctx }) => {
    const { order, package: p } = await getPackageDetails(ctx, input);
    const { items: _items, ...rest } = packageOut(p);
    return {
      ...rest,
      orderId: order.id,
      orderName: order.name,
      customerId: order.customerId,
      delivered: p.status === 'delivered',
      items: p.items.map((i) => {
        const line = order.lines.find((l) => l.id === i.lineId);
        return { itemId: i.lineId, sku: line?.sku ?? '', title: line?.title ?? '', quantity: i.quantity };
      }),
    };
  },
});

const productDetails = defineTool({
  name: 'get_product_details',
  title: 'Get product details',
  description:
    'A product with every variant: SKU, options, price, availability and stock; plus its kind (physical or digital access), returnability and return window. Use it to pick a variant for an exchange or a same-price product for a swap.',
  input: z.object({ productId: productIdArg }),
  output: ProductOut,
  hints: READ,
  run: async (input, { ctx }) => productOut(await getProductDetails(ctx, input)),
});

const productList = defineTool({
  name: 'list_products',
  title: 'List products',
  description:
    'Searches the catalogue by words of the title or by SKU (case-insensitive substring), a page at a time, ordered by title. Follow nextOffset for the next page.',
  input: z.object({
    query: boundedText('search')
      .trim()
      .min(1)
      .optional()
      .describe('Words of the product title, or a SKU; omit to list everything'),
    category: boundedText('search').trim().min(1).optional().describe('Only this category'),
    availableOnly: z.boolean().default(false).describe('Only products with at least one variant for sale'),
    limit: z.number().int().min(1).max(50).default(20).describe('Page size, 1–50 (default 20)'),
    offset: z.number().int().min(0).default(0).describe('Skip this many matches (use nextOffset of the previous page)'),
  }),
  output: z.object({
    total: z.number().int().describe('Every product matching the search'),
    offset: z.number().int().describe('Offset of this page'),
    nextOffset: z.number().int().nullable().describe('Pass as offset for the next page; null on the last page'),
    products: z
      .array(
        ProductOut.extend({
          priceRange: z
            .object({
              min: MoneyOut.nullable().describe('Lowest variant price; null when the product has no variant'),
              max: MoneyOut.nullable().describe('Highest variant price; null when the product has no variant'),
            })
            .describe('Cheapest and dearest variant'),
        }),
      )
      .describe('This page of products'),
  }),
  hints: READ,
  run: async (input, { ctx }) => {
    const page = await listProducts(ctx, input);
    return {
      total: page.total,
      offset: page.offset,
      nextOffset: page.nextOffset,
      products: page.products.map((p) => {
        const prices = p.variants.map((v) => v.price).sort((a, b) => a - b);
        const cur = p.variants[0]?.currency ?? 'USD';
        const lo = prices[0];
        const hi = prices[prices.length - 1];
        return {
          ...productOut(p),
          priceRange: {
            min: lo === undefined ? null : moneyOut(lo, cur),
            max: hi === undefined ? null : moneyOut(hi, cur),
          },
        };
      }),
    };
  },
});

export const lookupTools: ToolDefinition[] = [
  findByEmail,
  findByNameZip,
  findByPhone,
  customerDetails,
  activeOrders,
  summarize,
  orderDetails,
  itemDetails,
  packageDetails,
  productDetails,
  productList,
];
