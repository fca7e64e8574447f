/**
 * An answer that names a record (an item, a product, a customer) is looked up before the ask step completes: a product given by its SKU or its name becomes its id, and a name nothing has — a typo, an id of
 * another store — is refused as `invalid_answer`, so the step is asked again instead of the run failing later.
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
  variants?: { sku: string }[];
}

const PRODUCT_ID = /^prod_[0-9a-z]+$/;

export async function resolveAnswer(def: StepOf<'ask'>, answer: unknown, lookup: Lookup): Promise<unknown> {
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
