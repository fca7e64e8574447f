/** How the UI reads a tool's JSON Schema, and how it labels its fields and values. */
import type { JsonSchema, Tool } from './api/types';

export type { JsonSchema, Tool } from './api/types';

export const schemaOf = (t: Tool): JsonSchema => t.inputSchema as JsonSchema;
export const typeOf = (s: JsonSchema): string =>
  Array.isArray(s.type)
    ? (s.type.find((x) => x !== 'null') ?? 'string')
    : (s.type ?? (s.anyOf?.[0]?.type as string | undefined) ?? 'string');

/** `newVariantId` → "New variant id"; `ORDERED_BY_MISTAKE` → "Ordered by mistake": a name as a label. */
export function humanize(name: string): string {
  const words = /^[A-Z0-9_]+$/.test(name)
    ? name.toLowerCase().split('_')
    : name
        .replace(/([A-Z])/g, ' $1')
        .replace(/_/g, ' ')
        .toLowerCase()
        .trim()
        .split(/\s+/);
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
