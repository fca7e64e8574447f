/**
 * The demo store's catalogue: the product-swap procedure's course editions (digital access, same price and a different one),
 * clothes and shoes with sizes and colours (some sold out) so exchanges are possible, no-return items,
 * and AUD products sold on the Kogan marketplace (the Kogan procedure).
 */
import type { z } from 'zod';
import { seededId } from '../../kernel/ids.js';
import type { ProductRecord } from '../snapshot/records.js';
import type { Random } from './random.js';

export type ProductRecordInput = z.input<typeof ProductRecord>;

export interface DemoVariant {
  sku: string;
  title: string;
  productTitle: string;
  price: number;
  currency: 'USD' | 'AUD';
  available: boolean;
  physical: boolean;
  returnable: boolean;
  /** What an order line is called: the product title, plus the variant's when there are several. */
  lineTitle: string;
}

interface ProductSpec {
  title: string;
  category: string;
  kind: 'physical' | 'digital_access';
  returnable: boolean;
  returnWindowDays: number | null;
  currency: 'USD' | 'AUD';
  price: number;
  /** Option name → values; every combination is a variant. */
  options: Record<string, string[]>;
  sku: (o: Record<string, string>) => string;
  /** SKUs sold out. */
  unavailable?: string[];
  /** Price per option value when it differs from `price`. */
  priceOf?: (o: Record<string, string>) => number;
}

const code = (s: string) => s.slice(0, 3).toUpperCase();

export const SKU = {
  boardReview2: 'SQBR-2.0',
  boardReview3: 'SQBR-3.0',
  boardReview3Premium: 'SQBR-3.0-PREMIUM',
  teeBlackM: 'TEE-BLA-M',
  shoeGrey10: 'SHOE-GRE-10',
  mugWhite: 'MUG-WHI',
  earbuds: 'EARBUDS-WHI',
  bottle: 'BOTTLE-ENGRAVED',
  lampBlack: 'LAMP-BLA',
  hoodieBlackL: 'HOODIE-BLA-L',
  sheetsQueen: 'KG-SHEETS-QUEEN',
  cookware: 'KG-COOKWARE-10PC',
} as const;

const SPECS: ProductSpec[] = [
  {
    title: 'SleepCues BoardReview 2.0',
    category: 'courses',
    kind: 'digital_access',
    returnable: false,
    returnWindowDays: null,
    currency: 'USD',
    price: 50000,
    options: { edition: ['2.0'] },
    sku: () => SKU.boardReview2,
  },
  {
    title: 'SleepCues BoardReview 3.0',
    category: 'courses',
    kind: 'digital_access',
    returnable: false,
    returnWindowDays: null,
    currency: 'USD',
    price: 50000,
    options: { edition: ['3.0'] },
    sku: () => SKU.boardReview3,
  },
  {
    title: 'SleepCues BoardReview 3.0 Premium',
    category: 'courses',
    kind: 'digital_access',
    returnable: false,
    returnWindowDays: null,
    currency: 'USD',
    price: 75000,
    options: { edition: ['3.0 Premium'] },
    sku: () => SKU.boardReview3Premium,
  },
  {
    title: 'Merino Crew T-shirt',
    category: 'apparel',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'USD',
    price: 4500,
    options: { colour: ['Black', 'Navy', 'Olive'], size: ['S', 'M', 'L', 'XL'] },
    sku: (o) => `TEE-${code(o.colour!)}-${o.size}`,
    unavailable: ['TEE-OLI-XL', 'TEE-NAV-S', 'TEE-BLA-L'],
  },
  {
    title: 'Trail Running Shoes',
    category: 'footwear',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'USD',
    price: 14000,
    options: { colour: ['Grey', 'Blue'], size: ['8', '9', '10', '11', '12'] },
    sku: (o) => `SHOE-${code(o.colour!)}-${o.size}`,
    unavailable: ['SHOE-GRE-11', 'SHOE-BLU-8'],
  },
  {
    title: 'Cotton Hoodie',
    category: 'apparel',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'USD',
    price: 8000,
    options: { colour: ['Heather', 'Black'], size: ['S', 'M', 'L'] },
    sku: (o) => `HOODIE-${code(o.colour!)}-${o.size}`,
    unavailable: ['HOODIE-HEA-S'],
  },
  {
    title: 'Ceramic Coffee Mug',
    category: 'home',
    kind: 'physical',
    returnable: true,
    returnWindowDays: null,
    currency: 'USD',
    price: 1800,
    options: { colour: ['White', 'Sage'] },
    sku: (o) => `MUG-${code(o.colour!)}`,
  },
  {
    title: 'Desk Lamp',
    category: 'home',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 14,
    currency: 'USD',
    price: 6000,
    options: { finish: ['Black', 'Brass'] },
    sku: (o) => `LAMP-${code(o.finish!)}`,
  },
  {
    title: 'Yoga Mat',
    category: 'fitness',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'USD',
    price: 5500,
    options: { colour: ['Plum', 'Ocean'] },
    sku: (o) => `YOGA-${code(o.colour!)}`,
  },
  // No-return policy (the Shopify order rules): hygiene and personalised items are refunded without a return.
  {
    title: 'Wireless Earbuds',
    category: 'electronics',
    kind: 'physical',
    returnable: false,
    returnWindowDays: null,
    currency: 'USD',
    price: 12900,
    options: { colour: ['White'] },
    sku: () => SKU.earbuds,
  },
  {
    title: 'Engraved Water Bottle',
    category: 'personalised',
    kind: 'physical',
    returnable: false,
    returnWindowDays: null,
    currency: 'USD',
    price: 3500,
    options: { finish: ['Steel'] },
    sku: () => SKU.bottle,
  },
  // Sold through the Kogan marketplace (the Kogan procedure), in AUD.
  {
    title: 'Bamboo Bed Sheet Set',
    category: 'bedding',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'AUD',
    price: 8900,
    options: { size: ['Queen', 'King'] },
    sku: (o) => `KG-SHEETS-${o.size!.toUpperCase()}`,
    priceOf: (o) => (o.size === 'King' ? 10900 : 8900),
  },
  {
    title: 'Stainless Cookware Set',
    category: 'kitchen',
    kind: 'physical',
    returnable: true,
    returnWindowDays: 30,
    currency: 'AUD',
    price: 19900,
    options: { pieces: ['10 piece'] },
    sku: () => SKU.cookware,
  },
];

function combinations(options: Record<string, string[]>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(options))
    out = out.flatMap((o) => values.map((v) => ({ ...o, [name]: v })));
  return out;
}

export interface DemoCatalog {
  products: ProductRecordInput[];
  variants: Map<string, DemoVariant>;
}

export function demoCatalog(rand: Random, createdAt: Date): DemoCatalog {
  const variants = new Map<string, DemoVariant>();
  const t = createdAt.getTime();
  const products = SPECS.map(
    (p): ProductRecordInput => ({
      type: 'product',
      id: seededId('product', rand.next, t),
      title: p.title,
      category: p.category,
      kind: p.kind,
      returnable: p.returnable,
      ...(p.returnWindowDays !== null ? { returnWindowDays: p.returnWindowDays } : {}),
      variants: combinations(p.options).map((o, _i, all) => {
        const sku = p.sku(o);
        const available = !(p.unavailable ?? []).includes(sku);
        const price = p.priceOf?.(o) ?? p.price;
        const title = Object.values(o).join(' / ');
        const lineTitle = all.length > 1 ? `${p.title} — ${title}` : p.title;
        variants.set(sku, {
          sku,
          title,
          productTitle: p.title,
          price,
          currency: p.currency,
          available,
          physical: p.kind === 'physical',
          returnable: p.returnable,
          lineTitle,
        });
        return {
          id: seededId('variant', rand.next, t),
          sku,
          title,
          options: o,
          price,
          currency: p.currency,
          available,
          inventoryQuantity: p.kind === 'digital_access' ? null : available ? rand.int(5, 200) : 0,
        };
      }),
      createdAt: createdAt.toISOString(),
    }),
  );
  return { products, variants };
}
