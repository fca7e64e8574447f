/**
 * `sopdesk sop lint`: everything that would make an SOP fail at run time instead of at review time —
 * unknown tools, wrong or missing argument names, bad expressions, references to unknown inputs or
 * steps, gotos to unknown steps, unreachable steps, waits for events the timeline never records, manual steps without evidence, write tools in a loop, a payment
 * method asked for when the SOP never learns the customer.
 */
import { z } from 'zod';
import type { ToolDefinition } from '../tools/define.js';
import { compile, loopVariables, placeholders, SCOPE_ROOTS } from './expressions.js';
import { elementNameOf, FILL_IN, type SopDocument, type SopStep } from './format.js';
import { reachable } from './graph.js';
import { TIMELINE_EVENT_TYPES } from '../domain/timeline.js';
import type { SopIssue } from './issues.js';
import { parseSop } from './parser.js';

export type Catalogue = readonly ToolDefinition[];

/** Arguments the serving layer or the runner fills in; an SOP never has to pass them. */
const IMPLICIT_ARGS = new Set(['dryRun', 'idempotencyKey']);
const RUN_KEYS = new Set(['id', 'customerId', 'conversationId', 'connectors']);
const EVENT_TYPES = new Set<string>(TIMELINE_EVENT_TYPES);

export function lintSource(source: string, file: string, catalogue: Catalogue): SopIssue[] {
  const parsed = parseSop(source, file);
  return parsed.doc ? lintDocument(parsed.doc, catalogue) : parsed.issues;
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

export function lintDocument(doc: SopDocument, catalogue: Catalogue): SopIssue[] {
  const issues: SopIssue[] = [];
  const tools = new Map(catalogue.map((t) => [t.name, t]));
  const ids = new Set<string>();
  const inputs = new Set(doc.meta.inputs);
  for (const s of doc.steps) if (s.def.kind === 'ask') inputs.add(s.def.input);
  const at = (step: SopStep | undefined, path: (string | number)[], code: string, message: string) =>
    issues.push(
      step
        ? { file: doc.file, line: step.lineOf(path), code, message: `step "${step.def.id}": ${message}` }
        : { file: doc.file, line: 2, code, message: `front matter: ${message}` },
    );

  if (doc.meta.appliesWhen.startsWith(FILL_IN))
    at(
      undefined,
      [],
      'unwritten_field',
      `appliesWhen is a draft field to write ("${FILL_IN} …"): say when an agent should follow this SOP`,
    );

  // Whose payment methods a paymentMethod ask offers: the front matter's customer expression, or a customer ask.
  const knowsCustomer =
    doc.meta.customer !== undefined || doc.steps.some((s) => s.def.kind === 'ask' && s.def.type === 'customer');
  for (const s of doc.steps) {
    if (ids.has(s.def.id))
      at(s, ['id'], 'duplicate_step', `the id "${s.def.id}" is used by an earlier step; step ids must be unique`);
    ids.add(s.def.id);
  }

  /** `extra`: variables this expression may use besides inputs, steps and run (`event` in a wait, a loop's element). */
  const checkExpr = (
    step: SopStep | undefined,
    path: (string | number)[],
    expression: string,
    extra: readonly string[] = [],
  ) => {
    const c = compile(expression);
    if (!c.ok)
      return at(step, path, 'bad_expression', `the expression \`${expression}\` is not valid CEL: ${c.message}`);
    for (const r of c.refs) {
      if (r.root === 'inputs' && r.key !== undefined && !inputs.has(r.key)) {
        at(
          step,
          path,
          'unknown_input',
          `\`${expression}\` uses inputs.${r.key}, but no ask step collects "${r.key}" and the front matter does not list it under inputs`,
        );
      } else if (r.root === 'steps' && r.key !== undefined && !ids.has(r.key)) {
        at(
          step,
          path,
          'unknown_step_reference',
          `\`${expression}\` uses steps.${r.key}, but there is no step "${r.key}"`,
        );
      } else if (r.root === 'run' && r.key !== undefined && !RUN_KEYS.has(r.key)) {
        at(
          step,
          path,
          'unknown_run_field',
          `\`${expression}\` uses run.${r.key}; a run has ${[...RUN_KEYS].join(', ')}`,
        );
      } else if (r.root === 'event' && !extra.includes('event')) {
        at(
          step,
          path,
          'event_outside_wait',
          `\`${expression}\` uses event, which exists only in a wait step's condition`,
        );
      } else if (!SCOPE_ROOTS.includes(r.root) && !extra.includes(r.root)) {
        at(
          step,
          path,
          'unknown_variable',
          `\`${expression}\` uses "${r.root}"; expressions can use inputs, steps and run${extra.length ? `, and here ${extra.join(', ')}` : ''}`,
        );
      }
    }
  };
  const checkTemplate = (
    step: SopStep,
    path: (string | number)[],
    template: string | undefined,
    extra: readonly string[] = [],
  ) => {
    for (const e of placeholders(template ?? '')) checkExpr(step, path, e, extra);
  };
  const checkCall = (
    step: SopStep,
    path: (string | number)[],
    toolName: string,
    args: Record<string, string>,
    locals: readonly string[],
  ) => {
    const tool = tools.get(toolName);
    if (!tool) {
      const known = [...tools.keys()].sort();
      return at(
        step,
        [...path, 'tool'],
        'unknown_tool',
        `no tool "${toolName}" in the catalogue${known.length ? `; known tools: ${known.join(', ')}` : ''}`,
      );
    }
    const shape = objectShape(tool.input);
    for (const [name, expression] of Object.entries(args)) {
      if (shape && !(name in shape)) {
        at(
          step,
          [...path, 'args', name],
          'unknown_argument',
          `${toolName} has no argument "${name}"; its arguments are ${Object.keys(shape).join(', ')}`,
        );
      }
      checkExpr(step, [...path, 'args', name], expression, locals);
    }
    for (const [name, field] of Object.entries(shape ?? {})) {
      if (!(name in args) && !IMPLICIT_ARGS.has(name) && !field.safeParse(undefined).success) {
        at(step, [...path, 'args'], 'missing_argument', `${toolName} needs the argument "${name}"`);
      }
    }
  };
  const checkGoto = (step: SopStep, path: (string | number)[], target: string | undefined) => {
    if (target !== undefined && !ids.has(target))
      at(step, path, 'unknown_step', `goes to "${target}", but there is no step with that id`);
  };
  const checkOutcome = (
    step: SopStep,
    path: (string | number)[],
    o: { say?: string | undefined; goto?: string | undefined; handoff?: string | undefined },
    extra: readonly string[] = [],
  ) => {
    checkTemplate(step, [...path, 'say'], o.say, extra);
    checkTemplate(step, [...path, 'handoff'], o.handoff, extra);
    checkGoto(step, [...path, 'goto'], o.goto);
  };
  const checkEventType = (step: SopStep, path: (string | number)[], type: string) => {
    if (EVENT_TYPES.has(type)) return;
    const family = TIMELINE_EVENT_TYPES.filter((t) => t.split('.')[0] === type.split('.')[0]);
    at(
      step,
      path,
      'unknown_event',
      `no timeline event is called "${type}"${family.length ? `; events of its kind: ${family.join(', ')}` : ''}`,
    );
  };

  /** `confirmedWith`: this step writes, and so does the earlier tool step whose confirm it runs on. */
  const checkConfirmedWith = (step: SopStep, toolName: string, target: string) => {
    const writes = (name: string) => tools.get(name)?.hints.readOnly === false;
    const index = doc.steps.indexOf(step);
    const earlier = doc.steps.findIndex((x) => x.def.id === target);
    const agreed = doc.steps[earlier]?.def;
    if (tools.has(toolName) && !writes(toolName))
      at(step, ['confirmedWith'], 'bad_confirmed_with', `${toolName} only reads: it runs by itself, with no confirm`);
    else if (earlier < 0 || earlier >= index || agreed?.kind !== 'tool' || !writes(agreed.tool))
      at(
        step,
        ['confirmedWith'],
        'bad_confirmed_with',
        `confirmedWith names "${target}", which is not an earlier tool step that writes (the one whose confirm covers this step)`,
      );
  };

  if (doc.meta.customer) checkExpr(undefined, [], doc.meta.customer);

  for (const s of doc.steps) {
    const d = s.def;
    checkGoto(s, ['next'], d.next);
    switch (d.kind) {
      case 'tool': {
        const locals = d.forEach === undefined ? [] : loopVariables(elementNameOf(d));
        if (d.forEach !== undefined) checkExpr(s, ['forEach'], d.forEach);
        if (d.forEach !== undefined && tools.get(d.tool)?.hints.readOnly === false) {
          at(
            s,
            ['forEach'],
            'foreach_write_tool',
            `${d.tool} changes things, so it cannot run in a forEach loop; pass it the list instead (one preview, one confirm, one idempotency key)`,
          );
        }
        checkCall(s, [], d.tool, d.args, locals);
        if (d.confirmedWith !== undefined) checkConfirmedWith(s, d.tool, d.confirmedWith);
        if (d.compensate) checkCall(s, ['compensate'], d.compensate.tool, d.compensate.args, locals);
        if (d.onRefused) checkOutcome(s, ['onRefused'], d.onRefused);
        break;
      }
      case 'check':
        checkExpr(s, ['when'], d.when);
        checkOutcome(s, ['onFail'], d.onFail);
        break;
      case 'say':
        checkTemplate(s, ['message'], d.message);
        for (const [i, x] of d.disclosures.entries()) checkTemplate(s, ['disclosures', i], x);
        break;
      case 'manual':
        if (Object.keys(d.evidence).length === 0)
          at(
            s,
            ['evidence'],
            'missing_evidence',
            'a manual step must name the evidence it produces (e.g. esgNumber: ^ESG-\\d+$)',
          );
        for (const [name, f] of Object.entries(d.evidence)) {
          if (f.pattern !== undefined) {
            try {
              new RegExp(f.pattern);
            } catch {
              at(
                s,
                ['evidence', name],
                'bad_pattern',
                `the evidence pattern for "${name}" is not a valid regular expression: ${f.pattern}`,
              );
            }
          }
        }
        break;
      case 'wait':
        checkEventType(s, ['event'], d.event);
        if (d.when) checkExpr(s, ['when'], d.when, ['event']);
        d.onEvents.forEach((o, i) => {
          checkEventType(s, ['onEvents', i, 'event'], o.event);
          if (o.when) checkExpr(s, ['onEvents', i, 'when'], o.when, ['event']);
          checkOutcome(s, ['onEvents', i], o, ['event']);
        });
        if (d.onTimeout) checkOutcome(s, ['onTimeout'], d.onTimeout);
        break;
      case 'branch':
        d.cases.forEach((c, i) => {
          checkExpr(s, ['cases', i, 'when'], c.when);
          checkGoto(s, ['cases', i, 'goto'], c.goto);
        });
        checkGoto(s, ['otherwise'], d.otherwise);
        break;
      case 'goto':
        checkGoto(s, ['goto'], d.goto);
        break;
      case 'handoff':
        checkTemplate(s, ['summary'], d.summary);
        break;
      case 'end':
        checkTemplate(s, ['say'], d.say);
        break;
      case 'ask':
        if (d.product !== undefined) checkExpr(s, ['product'], d.product);
        if (d.type === 'paymentMethod' && !knowsCustomer)
          at(
            s,
            ['type'],
            'payment_method_without_customer',
            "a paymentMethod answer is one of the run's customer's payment methods, but the SOP never says who the customer is: set `customer:` in the front matter or ask for a customer first",
          );
        break;
    }
  }

  issues.push(...(doc.unknownFields ?? []));

  const seen = reachable(doc);
  for (const s of doc.steps) {
    if (!seen.has(s.def.id))
      at(s, ['id'], 'unreachable_step', 'no path from the first step reaches this step (add a goto or remove it)');
  }
  return issues.sort((a, b) => a.line - b.line);
}
