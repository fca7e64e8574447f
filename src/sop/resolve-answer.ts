/**
 * An answer that names a record (an item, a product, a variant, a payment method, a customer) is looked up before the
 * ask step completes: a product given by its SKU or its name becomes its id, a variant given by its SKU, its title or
 * "Product — Variant" becomes its id, a payment method named as the customer names it ("Visa 4242", "store credit")
 * becomes the id of that one of the run's customer's methods, and a name nothing has — a typo, an id of another store,
 * a name several records share — is refused as `invalid_answer`, so the step is asked again instead of the run
 * failing later.
 * The lookups are the catalogue's own read-only tools, called with the step's caller (so its scope holds); a
 * catalogue without the tool leaves the answer as it is. An order is not looked up here: procedures read it in
 * their next step and say themselves what is wrong with it (not found, not the customer's); a step without such a
 * branch goes back to the question (`askAgain`, step-kinds.ts).
 */
import { invalid, isDomainError } from '../kernel/errors.js';
import type { StepOf } from './format.js';

/**
 * The key a lookup is called with. Read-only tools take no key; it marks the call as a check of an answer, which
 * (like a preview) is not one of the run's own tool calls (`sopdesk sop test` counts those).
 */
export const ANSWER_LOOKUP = 'sop:answer-lookup';

/** Calls a read-only catalogue tool; null when the catalogue has no tool of that name. */
export type Lookup = (tool: string, args: Record<string, unknown>) => Promise<unknown> | null;

interface ProductHit {
  productId: string;
  title: string;
  variants?: { variantId?: string; sku: string; title?: string }[];
}

/** What the run knows that an answer is read against: its customer (payment methods), the variant ask's product. */
export interface AnswerContext {
  customerId?: string | null | undefined;
  productId?: string | null | undefined;
}

const PRODUCT_ID = /^prod_[0-9a-z]+$/;

export async function resolveAnswer(
  def: StepOf<'ask'>,
  answer: unknown,
  lookup: Lookup,
  known: AnswerContext = {},
): Promise<unknown> {
  const refuse = (message: string): never => {
    throw invalid('answer', `${def.input}: ${message}`, { reason: 'invalid_answer' });
  };
  /** Whether the record exists (for this caller); a missing one refuses the answer. */
  const mustExist = async (tool: string, args: Record<string, unknown>, missing: string) => {
    try {
      await lookup(tool, args);
    } catch (e) {
      if (isDomainError(e) && (e.code === 'not_found' || e.code === 'invalid_argument')) refuse(missing);
      throw e;
    }
  };
  switch (def.type) {
    case 'item':
      await mustExist('get_item_details', { itemId: answer }, `there is no order line ${String(answer)}`);
      return answer;
    case 'items':
      for (const i of answer as { itemId: string }[])
        await mustExist('get_item_details', { itemId: i.itemId }, `there is no order line ${i.itemId}`);
      return answer;
    case 'customer':
      await mustExist('get_customer_details', { customerId: answer }, `there is no customer ${String(answer)}`);
      return answer;
    case 'product':
      return resolveProduct(String(answer), lookup, refuse, mustExist);
    case 'variant':
      return resolveVariant(String(answer), known.productId ?? null, lookup, refuse);
    case 'paymentMethod':
      return resolvePaymentMethod(String(answer), known.customerId ?? null, lookup, refuse);
    default:
      return answer;
  }
}

/** A product id as it is (if it exists); else a SKU or words of a title, when they name exactly one product. */
async function resolveProduct(
  text: string,
  lookup: Lookup,
  refuse: (message: string) => never,
  mustExist: (tool: string, args: Record<string, unknown>, missing: string) => Promise<void>,
): Promise<string> {
  if (PRODUCT_ID.test(text)) {
    await mustExist('get_product_details', { productId: text }, `there is no product ${text}; pick one by name or SKU`);
    return text;
  }
  const found = lookup('list_products', { query: text, limit: 10 });
  if (!found) return refuse('expected a product id (prod_…)');
  const { products } = (await found) as { products: ProductHit[] };
  const same = (a: string) => a.toLowerCase() === text.toLowerCase();
  const exact =
    products.filter((p) => p.variants?.some((v) => same(v.sku))).at(0) ?? products.find((p) => same(p.title));
  if (exact) return exact.productId;
  if (products.length === 1) return products[0]!.productId;
  if (products.length === 0) return refuse(`no product has the SKU or name "${text}"; check it, or search by name`);
  return refuse(
    `"${text}" matches ${products.length} products (${products
      .slice(0, 5)
      .map((p) => p.title)
      .join(', ')}); give its SKU or pick one`,
  );
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
/** "Product — Variant" as the pickers show it; the product's title alone when it has one variant without a title. */
const variantName = (p: ProductHit, v: { title?: string }) =>
  v.title && (p.variants?.length ?? 0) > 1 ? `${p.title} — ${v.title}` : p.title;
/** The separator of "Product — Variant": an em or en dash, or a hyphen between spaces. */
const SEPARATOR = /\s+[—–-]\s+|\s*[—–]\s*/g;

/**
 * A variant id, a SKU, "Product — Variant", a variant's title or a product's title (when the product has one variant),
 * when it names exactly one variant. With the ask's product, only that product's variants are looked at.
 */
async function resolveVariant(
  text: string,
  productId: string | null,
  lookup: Lookup,
  refuse: (message: string) => never,
): Promise<string> {
  const parts = [...text.matchAll(SEPARATOR)].at(-1);
  const split =
    parts?.index !== undefined ? [text.slice(0, parts.index), text.slice(parts.index + parts[0].length)] : null;
  let pool: ProductHit[];
  let chosen: ProductHit | null = null;
  if (productId) {
    const found = lookup('get_product_details', { productId });
    if (!found) return refuse('expected a variant id (var_…)');
    chosen = (await found) as ProductHit;
    pool = [chosen];
  } else {
    const queries = [text, ...(split ? [split[0]!] : [])].filter((q) => q.trim().length > 0);
    pool = [];
    for (const query of queries) {
      const found = lookup('list_products', { query, limit: 20 });
      if (!found) return refuse('expected a variant id (var_…)');
      for (const p of ((await found) as { products: ProductHit[] }).products)
        if (!pool.some((q) => q.productId === p.productId)) pool.push(p);
    }
  }
  const all = pool.flatMap((p) => (p.variants ?? []).map((v) => ({ p, v })));
  const tests: ((h: (typeof all)[number]) => boolean)[] = [
    (h) => h.v.variantId === text,
    (h) => same(h.v.sku, text),
    (h) => split !== null && same(h.p.title, split[0]!) && same(h.v.title ?? '', split[1]!),
    (h) => same(variantName(h.p, h.v), text),
    (h) => same(h.v.title ?? '', text),
    (h) => same(h.p.title, text),
  ];
  const list = (hits: typeof all) =>
    hits
      .slice(0, 5)
      .map((h) => `${variantName(h.p, h.v)} (${h.v.sku})`)
      .join(', ');
  for (const t of tests) {
    const hits = all.filter(t);
    if (hits.length === 1) return hits[0]!.v.variantId!;
    if (hits.length > 1)
      return refuse(`"${text}" matches ${hits.length} variants (${list(hits)}); give its SKU or pick one`);
  }
  if (chosen)
    return refuse(
      `"${text}" is not a variant of ${chosen.title} (its variants: ${list(all)}); give its SKU or pick one`,
    );
  // Words of a title or SKU (as the search matched them) that only one variant has.
  const has = (s: string | undefined) => (s ?? '').toLowerCase().includes(text.toLowerCase());
  const near = all.filter((h) => has(h.v.sku) || has(h.v.title) || has(h.p.title));
  const left = near.length > 0 ? near : all;
  if (left.length === 1) return left[0]!.v.variantId!;
  if (left.length === 0) return refuse(`no variant has the SKU or title "${text}"; check it, or search by name`);
  return refuse(`"${text}" matches ${left.length} variants (${list(left)}); give its SKU or pick one`);
}

interface MethodHit {
  paymentMethodId: string;
  kind: string;
  label: string;
  balance?: { currency?: string } | null;
}

/** Words of a payment method a person might use for it: its label's, its kind's, its balance's currency. */
const KIND_WORDS: Record<string, string[]> = {
  card: ['card', 'credit card', 'debit card'],
  gift_card: ['gift card', 'giftcard', 'gift_card'],
  store_credit: ['store credit', 'store_credit', 'credit', 'account credit'],
  paypal: ['paypal', 'pay pal'],
};
/** Words that name no method: "my Visa ending in 4242", "back to the store credit". */
const FILLER = new Set([
  'my',
  'the',
  'a',
  'an',
  'to',
  'on',
  'in',
  'ending',
  'ends',
  'with',
  'back',
  'of',
  'number',
  'no',
]);
const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[•·*.,#:()]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);

/** A payment method of the run's customer: its id, its label, or words of it (brand, last four digits, kind). */
async function resolvePaymentMethod(
  text: string,
  customerId: string | null,
  lookup: Lookup,
  refuse: (message: string) => never,
): Promise<string> {
  if (!customerId)
    return refuse('the run does not know the customer yet, so their payment methods cannot be looked up');
  const found = lookup('get_customer_details', { customerId });
  if (!found) return refuse('expected a payment method id (pm_…)');
  const { paymentMethods: methods } = (await found) as { paymentMethods: MethodHit[] };
  const names = methods.map((m) => m.label).join(', ') || 'none';
  const exact = methods.filter((m) => m.paymentMethodId === text || same(m.label, text));
  if (exact.length === 1) return exact[0]!.paymentMethodId;
  const asked = words(text).filter((w) => !FILLER.has(w));
  const hits = asked.length
    ? methods.filter((m) => {
        const own = new Set([
          ...words(m.label),
          ...(KIND_WORDS[m.kind] ?? []).flatMap(words),
          ...(m.balance?.currency ? [m.balance.currency.toLowerCase()] : []),
        ]);
        return asked.every((w) => own.has(w));
      })
    : [];
  if (hits.length === 1) return hits[0]!.paymentMethodId;
  if (hits.length > 1)
    return refuse(
      `"${text}" matches ${hits.length} payment methods (${hits.map((m) => m.label).join(', ')}); pick one`,
    );
  return refuse(`"${text}" is not one of the customer's payment methods (${names}); pick one`);
}
