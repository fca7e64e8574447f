/**
 * The order references a customer's message names: an order number (`#1004`, `order 1004`) or a channel's own
 * reference (a Kogan `ESG-58231467`, an imported `#W2378156`). Pure text matching; which of them are this customer's
 * orders is for the caller to look up. Bare numbers are not taken: a phone number or a quantity is not an order.
 */
const MENTION = /(?:#|\border\s+(?:no\.?\s*|number\s+)?#?)(\d{3,12})\b|\b(ESG-\d{4,20})\b|#(W\d{4,20})\b/gi;

/** The distinct references named in `text`, as the order resolver takes them (`#1004`, `ESG-…`, `W…`), in order. */
export function orderMentionsIn(text: string, max = 5): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const ref = m[1] ? `#${m[1]}` : (m[2] ?? m[3] ?? '').toUpperCase();
    if (ref && !found.includes(ref)) found.push(ref);
    if (found.length >= max) break;
  }
  return found;
}
