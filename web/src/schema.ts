/** The JSON Schema subset the tool catalogue publishes, and how the UI labels its fields and values. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number)[];
  description?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
}

export interface Tool { name: string; title?: string; description?: string; inputSchema?: JsonSchema; input?: JsonSchema }

export const schemaOf = (t: Tool): JsonSchema => t.inputSchema ?? t.input ?? {};
export const typeOf = (s: JsonSchema): string =>
  Array.isArray(s.type) ? s.type.find((x) => x !== 'null') ?? 'string' : s.type ?? (s.anyOf?.[0]?.type as string | undefined) ?? 'string';

/** `newVariantId` → "New variant id"; `ORDERED_BY_MISTAKE` → "Ordered by mistake": a name as a label. */
export function humanize(name: string): string {
  const words = /^[A-Z0-9_]+$/.test(name) ? name.toLowerCase().split('_') : name.replace(/([A-Z])/g, ' $1').replace(/_/g, ' ').toLowerCase().trim().split(/\s+/);
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Minor units per major unit of a currency (JPY has none). */
export const minorPerMajor = (currency: string) => (['JPY', 'KRW', 'VND'].includes(currency) ? 1 : 100);
