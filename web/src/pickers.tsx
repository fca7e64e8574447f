/**
 * Pickers for answers that name a record: a text box that takes what the agent types (an order number, a SKU, a
 * product's name) and suggests matches below it, as a native `<datalist>` (keyboard and screen readers come with
 * it). What is typed is sent as it is; the server looks it up, and a name nothing has is asked again.
 */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { callTool } from './api/client';
import { queries } from './api/queries';
import { formatMoney, formatDate } from './shared';

export interface Suggestion {
  value: string;
  label: string;
}

export function SuggestInput({
  id,
  value,
  onChange,
  suggestions,
  placeholder,
  required = true,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  suggestions: Suggestion[];
  placeholder?: string | undefined;
  required?: boolean;
  invalid?: boolean | undefined;
  describedBy?: string | undefined;
}) {
  return (
    <>
      <input
        id={id}
        list={`${id}-list`}
        autoComplete="off"
        required={required}
        value={value}
        placeholder={placeholder}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((s) => (
          <option key={s.value} value={s.value} label={s.label}>
            {s.label}
          </option>
        ))}
      </datalist>
    </>
  );
}

/** What was typed, once the agent stops typing for a moment (so a search is not sent per key). */
function useSettled(text: string, ms = 250): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(t);
  }, [text, ms]);
  return settled;
}

interface ListedProduct {
  productId: string;
  title: string;
  variants: {
    variantId: string;
    sku: string;
    title: string;
    price: { amount: number; currency: string };
    available: boolean;
  }[];
}

/** Products whose title or SKU contains `text` (list_products), at most 8. */
export function useProductSearch(text: string): ListedProduct[] {
  const q = useSettled(text.trim());
  const found = useQuery({
    queryKey: ['/v1/tools/list_products', { q }],
    enabled: q.length >= 2,
    staleTime: 60_000,
    queryFn: async () =>
      ((await callTool('list_products', { query: q, limit: 8 })) as { products: ListedProduct[] }).products,
  });
  return q.length >= 2 ? (found.data ?? []) : [];
}

const price = (p: { amount: number; currency: string }) => formatMoney(p.amount, p.currency as never);

/** A product by its SKU or name: the suggestion's value is the SKU of its (first) variant. */
export function ProductPicker(props: { id: string; value: string; onChange: (v: string) => void }) {
  const products = useProductSearch(props.value);
  const suggestions = products.flatMap((p) =>
    p.variants.slice(0, 1).map((v) => ({ value: v.sku, label: `${p.title} · ${v.sku} · ${price(v.price)}` })),
  );
  return <SuggestInput {...props} placeholder="Name or SKU, e.g. BoardReview 3.0" suggestions={suggestions} />;
}

/**
 * A variant by SKU: with `productId`, that product's variants (those whose SKU or title has what is typed); else every
 * variant of the products that match. Each with its price and whether it is for sale.
 */
export function VariantPicker({
  productId,
  ...props
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  invalid?: boolean | undefined;
  describedBy?: string | undefined;
  productId?: string | undefined;
}) {
  const searched = useProductSearch(productId ? '' : props.value);
  const chosen = useQuery({
    queryKey: ['/v1/tools/get_product_details', { productId }],
    enabled: !!productId,
    staleTime: 60_000,
    queryFn: async () => (await callTool('get_product_details', { productId })) as ListedProduct,
  });
  const typed = props.value.trim().toLowerCase();
  const products = productId ? (chosen.data ? [chosen.data] : []) : searched;
  const suggestions = products.flatMap((p) =>
    p.variants
      .filter((v) => !productId || !typed || `${v.sku} ${v.title}`.toLowerCase().includes(typed))
      .map((v) => ({
        value: v.sku,
        label: `${p.title}${v.title ? ` — ${v.title}` : ''} · ${price(v.price)}${v.available ? '' : ' · not for sale'}`,
      })),
  );
  return (
    <SuggestInput
      {...props}
      placeholder={productId ? 'Size, colour or SKU' : 'Name or SKU'}
      suggestions={suggestions}
    />
  );
}

/** One of the customer's payment methods: card brand and last four, gift card, store credit (with its balance). */
export function PaymentMethodPicker(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  customerId: string | null;
}) {
  const { customerId, ...rest } = props;
  const customer = useQuery({ ...queries.customer(customerId ?? ''), enabled: !!customerId });
  const methods = customer.data?.paymentMethods ?? [];
  // The label is what an agent reads and types; the id only where two methods share a label.
  const suggestions = methods.map((m) => ({
    value: methods.filter((o) => o.label === m.label).length > 1 ? m.id : m.label,
    label:
      m.balance != null && m.currency ? `${m.label} · ${formatMoney(m.balance, m.currency as never)} left` : m.label,
  }));
  return <SuggestInput {...rest} placeholder="e.g. Visa 4242 or store credit" suggestions={suggestions} />;
}

/** An order: the customer's own most recent orders, by number. */
export function OrderPicker(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  customerId: string | null;
}) {
  const { customerId, ...rest } = props;
  const orders = useQuery({ ...queries.customerOrders(customerId ?? '', 0, 20), enabled: !!customerId });
  const suggestions = (orders.data?.orders ?? []).map((o) => ({
    value: o.name,
    label: `${o.name} · ${formatDate(o.placedAt)} · ${formatMoney(o.totals.total, o.currency as never)} · ${o.lines
      .map((l) => l.title)
      .join(', ')}`,
  }));
  return <SuggestInput {...rest} placeholder="#1001" suggestions={suggestions} />;
}

/** A customer, by name, email or phone (the inbox's search). */
export function CustomerPicker(props: { id: string; value: string; onChange: (v: string) => void }) {
  const q = useSettled(props.value.trim());
  const found = useQuery(queries.directory(q));
  const suggestions = (found.data?.customers ?? []).map((c) => ({
    value: c.id,
    label: [c.name, c.email].filter(Boolean).join(' · '),
  }));
  return <SuggestInput {...props} placeholder="Name or email" suggestions={suggestions} />;
}
