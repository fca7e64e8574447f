/** Calls a catalogue tool the way the serving layer does: validate the arguments, run, validate the output. */
import type { AppContext } from '../../src/app/context.js';
import { findTool } from '../../src/tools/catalogue.js';
import type { Actor } from '../../src/domain/timeline.js';
import { expect } from 'vitest';

export async function runTool(
  ctx: AppContext,
  name: string,
  args: unknown,
  opts: { idempotencyKey?: string; actor?: Actor } = {},
): Promise<any> {
  const tool = findTool(name);
  if (!tool) throw new Error(`no tool ${name}`);
  const input = tool.input.parse(args);
  const out = await tool.run(input, {
    ctx,
    actor: opts.actor ?? { kind: 'ai_agent', id: 'test-agent' },
    idempotencyKey: opts.idempotencyKey,
  });
  const checked = tool.output.safeParse(out);
  expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues.slice(0, 3))).toBe(true);
  return out;
}
