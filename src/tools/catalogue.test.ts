import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TOOLS, findTool } from './catalogue.js';
import { defineTool, READ, type ToolDefinition } from './define.js';
import { IDEMPOTENCY_KEY_ARG, toolSchemas, type JsonSchema } from './json-schema.js';

/** Every property (at any depth) that has no description, as dotted paths. */
function undescribed(schema: JsonSchema, path = ''): string[] {
  const out: string[] = [];
  const described = (s: JsonSchema) =>
    (typeof s.description === 'string' && s.description.length > 0) ||
    ((s.anyOf ?? s.oneOf) as JsonSchema[] | undefined)?.some((b) => typeof b.description === 'string') === true;
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const p = path ? `${path}.${name}` : name;
    if (!described(prop)) out.push(p);
    out.push(...undescribed(prop, p));
  }
  if (schema.items && typeof schema.items === 'object')
    out.push(...undescribed(schema.items as JsonSchema, `${path}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const b of (schema[key] ?? []) as JsonSchema[]) out.push(...undescribed(b, path));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    out.push(...undescribed(schema.additionalProperties as JsonSchema, `${path}{}`));
  return out;
}

const refs = (v: unknown): string[] =>
  v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => (k === '$ref' ? [String(x)] : refs(x))) : [];

describe('the tool catalogue', () => {
  it('has unique snake_case names, a title and a description for every tool', () => {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    // GET /v1/tools/summary is the short list, not a tool's description.
    expect(names).not.toContain('summary');
    for (const t of TOOLS) {
      expect(t.name, t.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(t.title.length, t.name).toBeGreaterThan(0);
      expect(t.description.length, t.name).toBeGreaterThan(20);
      expect(findTool(t.name)).toBe(t);
    }
  });

  it('offers the read tools the Handling Returns procedure names, and the lookups agents need', () => {
    for (const name of [
      'find_customer_by_email',
      'find_customer_by_name_zip',
      'find_customer_by_phone',
      'get_customer_details',
      'active_orders',
      'summarize_orders',
      'get_order_details',
      'get_item_details',
      'get_package_details',
      'get_product_details',
      'list_products',
    ])
      expect(findTool(name)?.hints.readOnly, name).toBe(true);
  });

  it('converts every input and output schema to JSON Schema: objects, self-contained, no $ref', () => {
    for (const t of TOOLS) {
      const { input, output } = toolSchemas(t);
      expect(input.type, t.name).toBe('object');
      expect(output.type, t.name).toBe('object');
      expect(refs(input).concat(refs(output)), t.name).toEqual([]);
      expect(() => z.toJSONSchema(t.input, { io: 'input' }), t.name).not.toThrow();
      expect(() => z.toJSONSchema(t.output, { io: 'output' }), t.name).not.toThrow();
    }
  });

  it('describes every input and output field, at every depth', () => {
    for (const t of TOOLS) {
      const { input, output } = toolSchemas(t);
      expect(undescribed(input), `${t.name} input`).toEqual([]);
      expect(undescribed(output), `${t.name} output`).toEqual([]);
    }
  });

  it('sets coherent hints: a read-only tool is neither destructive nor previewable', () => {
    for (const t of TOOLS) {
      for (const h of ['readOnly', 'destructive', 'idempotent'] as const)
        expect(typeof t.hints[h], `${t.name}.${h}`).toBe('boolean');
      if (t.hints.readOnly) {
        expect(t.hints.destructive, t.name).toBe(false);
        expect(Object.keys(toolSchemas(t).input.properties as object), t.name).not.toContain('dryRun');
      }
    }
  });

  it('lets every write tool preview with dryRun unless it says it cannot', () => {
    for (const t of TOOLS.filter((x) => !x.hints.readOnly && x.previewable !== false)) {
      const props = toolSchemas(t).input.properties as Record<string, JsonSchema>;
      expect(props.dryRun, `${t.name} takes dryRun`).toBeDefined();
      expect(props.dryRun?.type, t.name).toBe('boolean');
    }
  });

  it('leaves idempotencyKey to the serving layer: no tool schema declares it', () => {
    for (const t of TOOLS)
      expect(Object.keys(z.toJSONSchema(t.input, { io: 'input' }).properties ?? {}), t.name).not.toContain(
        IDEMPOTENCY_KEY_ARG,
      );
  });

  it('finds an undescribed field however deep it is (the check itself works)', () => {
    const bad: ToolDefinition = defineTool({
      name: 'bad_tool',
      title: 'Bad',
      description: 'A tool with holes in its descriptions, for this test only.',
      hints: READ,
      input: z.object({ a: z.string(), b: z.object({ c: z.number().describe('c') }).describe('b') }),
      output: z.object({ list: z.array(z.object({ d: z.string() })).describe('list') }),
      run: async () => ({ list: [] }),
    }) as unknown as ToolDefinition;
    expect(undescribed(toolSchemas(bad).input)).toEqual(['a']);
    expect(undescribed(toolSchemas(bad).output)).toEqual(['list[].d']);
  });
});
