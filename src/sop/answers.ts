/** Validates what a person or agent submits for an ask step (an answer) or a manual step (evidence). */
import { z } from 'zod';
import { undeclaredError, undeclaredFields } from '../app/validate.js';
import { invalid } from '../kernel/errors.js';
import { parseOrderNumber } from '../kernel/ids.js';
import { exampleOf } from '../kernel/pattern-example.js';
import { ORDER_REF_PATTERN } from '../app/args.js';
import type { EvidenceField, StepOf } from './format.js';

const Items = z
  .array(
    z.object({
      itemId: z.string().regex(/^li_[0-9a-z]+$/, 'an order line id like li_…'),
      quantity: z.number().int().positive(),
    }),
  )
  .min(1);
const ItemsJson = z.toJSONSchema(Items) as Record<string, unknown>;

/** Fields `value` has that its schema does not take (`answer.0.qty`) are refused, as everywhere in the API: zod would drop them. */
function refuseUndeclared(schema: Record<string, unknown>, value: unknown, path: string, reason: string): void {
  const unknown = undeclaredFields(schema, value, path);
  if (unknown.length === 0) return;
  throw undeclaredError(unknown, path, { noun: 'field', reason });
}

/** Nothing given: no value, or text of spaces only (a form's `required` lets those through; trimmed, they are empty). */
const blank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function parseAnswer(step: StepOf<'ask'>, value: unknown): unknown {
  const fail = (message: string): never => {
    throw invalid('answer', `${step.input}: ${message}`, { reason: 'invalid_answer' });
  };
  if (blank(value)) fail('an answer is required');
  switch (step.type) {
    case 'string':
    case 'text':
      return typeof value === 'string' ? value.trim() : fail('expected text');
    case 'email':
      return typeof value === 'string' && z.email().safeParse(value.trim()).success
        ? value.trim()
        : fail('expected an email address');
    case 'order': {
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
      if (/^ord_[0-9a-z]+$/.test(text)) return text;
      const n = parseOrderNumber(text);
      if (n !== undefined) return `#${n}`;
      // A channel's own reference (ESG-58231467, #W2378156): the tool that takes it resolves it.
      return ORDER_REF_PATTERN.test(text)
        ? text
        : fail("expected an order id (ord_…), an order number such as #1001 or the channel's order reference");
    }
    case 'item':
      return typeof value === 'string' && /^li_[0-9a-z]+$/.test(value.trim())
        ? value.trim()
        : fail('expected an order line id (li_…)');
    case 'product':
      // A product id, a SKU (SQBR-3.0) or words of its name: the ask step looks it up (resolve-answer.ts).
      return typeof value === 'string' && value.trim().length <= 200
        ? value.trim()
        : fail('expected a product: its id (prod_…), its SKU or its name');
    case 'variant':
      // A variant id, a SKU, a variant title (Black / M) or "Product — Variant": looked up (resolve-answer.ts).
      return typeof value === 'string' && value.trim().length <= 200
        ? value.trim()
        : fail('expected a variant: its SKU, its title or "Product — Variant"');
    case 'paymentMethod':
      // One of the run's customer's payment methods: its id (pm_…), its label or words of it ("Visa 4242", "store credit").
      return typeof value === 'string' && value.trim().length <= 200
        ? value.trim()
        : fail(
            'expected one of the customer\'s payment methods: "Visa 4242", "gift card", "store credit" or its id (pm_…)',
          );
    case 'customer':
      return typeof value === 'string' && /^cus_[0-9a-z]+$/.test(value)
        ? value
        : fail('expected a customer id (cus_…)');
    case 'items': {
      refuseUndeclared(ItemsJson, value, 'answer', 'invalid_answer');
      const r = Items.safeParse(value);
      return r.success ? r.data : fail(`expected [{ itemId, quantity }]: ${r.error.issues[0]?.message ?? ''}`);
    }
    case 'enum':
      return typeof value === 'string' && step.options?.includes(value)
        ? value
        : fail(`expected one of ${step.options?.join(', ')}`);
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('expected true or false');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('expected a number');
  }
}

function parseField(name: string, f: EvidenceField, value: unknown): unknown {
  const fail = (message: string): never => {
    throw invalid(`evidence.${name}`, message, { reason: 'invalid_evidence' });
  };
  if (blank(value)) return fail(`${f.label ?? name} is required before the next step unlocks`);
  switch (f.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('expected true or false');
    case 'confirmed':
      return value === true ? true : fail(`${f.label ?? name} must be confirmed (true) before the next step unlocks`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('expected a number');
    case 'email':
      return typeof value === 'string' && z.email().safeParse(value.trim()).success
        ? value.trim()
        : fail('expected an email address');
    case 'string': {
      if (typeof value !== 'string') return fail('expected text');
      const text = value.trim();
      if (f.pattern && !new RegExp(f.pattern).test(text)) {
        const example = f.example ?? exampleOf(f.pattern);
        return fail(
          example
            ? `"${text}" is not in the form asked for, such as ${example}`
            : `"${text}" does not match ${f.pattern}`,
        );
      }
      return text;
    }
  }
}

export function parseEvidence(step: StepOf<'manual'>, evidence: unknown): Record<string, unknown> {
  if (!evidence || typeof evidence !== 'object' || Array.isArray(evidence)) {
    throw invalid('evidence', `give the evidence as an object with ${Object.keys(step.evidence).join(', ')}`, {
      reason: 'invalid_evidence',
    });
  }
  const given = evidence as Record<string, unknown>;
  refuseUndeclared({ type: 'object', properties: step.evidence }, given, 'evidence', 'invalid_evidence');
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(step.evidence)) out[name] = parseField(name, f, given[name]);
  return out;
}
