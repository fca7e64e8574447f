/**
 * Reads an SOP Markdown file: front matter, then prose with `## headings` and fenced ```step blocks.
 * Returns the document, or the issues that stop it being one (each with a line number).
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { SopMeta, StepDef, type SopDocument, type SopStep } from './format.js';
import type { SopIssue } from './issues.js';

export interface ParseResult {
  doc?: SopDocument;
  issues: SopIssue[];
}

interface YamlBlock {
  value: unknown;
  lineOf(path: readonly (string | number)[]): number;
  errors: { line: number; message: string }[];
}

/** Parses YAML whose first line is line `firstLine` of the file. */
function parseYaml(text: string, firstLine: number): YamlBlock {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => firstLine + lineCounter.linePos(offset).line - 1;
  return {
    value: doc.errors.length ? undefined : doc.toJS(),
    errors: doc.errors.map((e) => ({ line: at(e.pos[0]), message: e.message.split('\n')[0] ?? e.message })),
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        // The line of the key (`args:`), not of its value, so a message points at what the author wrote.
        const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
        const last = path[n - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
          if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0]);
        }
        if (isSeq(parent) && typeof last === 'number') {
          const item = parent.items[last] as Node | undefined;
          if (item?.range) return at(item.range[0]);
        }
      }
      return firstLine;
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The keys of `raw` (the YAML as written) that the schema dropped from `parsed` (what it kept): the
 * schemas strip unknown keys, so anything written but not kept is a field the format does not know.
 */
function droppedKeys(raw: unknown, parsed: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(raw) && Array.isArray(parsed))
    return raw.flatMap((r, i) => droppedKeys(r, parsed[i], [...path, i]));
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.entries(raw).flatMap(([k, v]) =>
    Object.hasOwn(parsed, k) ? droppedKeys(v, parsed[k], [...path, k]) : [[...path, k]],
  );
}

function unknownFieldIssues(
  file: string,
  raw: unknown,
  parsed: unknown,
  lineOf: (p: readonly (string | number)[]) => number,
  what: string,
): SopIssue[] {
  return droppedKeys(raw, parsed).map((path) => ({
    file,
    line: lineOf(path),
    code: 'unknown_field',
    message: `${what}: unknown field "${path.join('.')}" (misspelt?); it is ignored when the SOP runs`,
  }));
}

function zodIssues(
  file: string,
  error: z.ZodError,
  lineOf: (p: readonly (string | number)[]) => number,
  what: string,
): SopIssue[] {
  return error.issues.map((i) => ({
    file,
    line: lineOf(i.path as (string | number)[]),
    code: 'invalid_step',
    message: `${what}${i.path.length ? ` field "${i.path.join('.')}"` : ''}: ${i.message}`,
  }));
}

export function parseSop(source: string, file = '<sop>'): ParseResult {
  const issues: SopIssue[] = [];
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    return {
      issues: [
        {
          file,
          line: 1,
          code: 'missing_front_matter',
          message: 'An SOP starts with YAML front matter between --- lines (id, title, version, appliesWhen).',
        },
      ],
    };
  }
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0)
    return {
      issues: [
        { file, line: 1, code: 'missing_front_matter', message: 'The front matter is not closed by a --- line.' },
      ],
    };
  const fm = parseYaml(lines.slice(1, close).join('\n'), 2);
  for (const e of fm.errors)
    issues.push({ file, line: e.line, code: 'bad_yaml', message: `Front matter: ${e.message}` });
  const meta = SopMeta.safeParse(fm.value ?? {});
  const unknownFields = meta.success ? unknownFieldIssues(file, fm.value, meta.data, fm.lineOf, 'front matter') : [];
  if (!meta.success && !fm.errors.length)
    issues.push(
      ...zodIssues(file, meta.error, fm.lineOf, 'Front matter').map((i) => ({ ...i, code: 'invalid_front_matter' })),
    );

  const steps: SopStep[] = [];
  let intro: string | undefined;
  let heading = '';
  let prose: string[] = [];
  for (let i = close + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h && !line.startsWith('# ')) {
      if (intro === undefined) intro = prose.join('\n').trim();
      heading = h[1]!.trim();
      prose = [];
      continue;
    }
    if (/^```\s*step\s*$/.test(line)) {
      const fenceLine = i + 1;
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      if (end < 0) {
        issues.push({
          file,
          line: fenceLine,
          code: 'bad_yaml',
          message: 'This ```step block is not closed by a ``` line.',
        });
        break;
      }
      const block = parseYaml(lines.slice(i + 1, end).join('\n'), fenceLine + 1);
      for (const e of block.errors)
        issues.push({ file, line: e.line, code: 'bad_yaml', message: `Step block: ${e.message}` });
      if (intro === undefined) intro = '';
      if (!block.errors.length) {
        const def = StepDef.safeParse(block.value ?? {});
        if (!def.success) issues.push(...zodIssues(file, def.error, block.lineOf, `Step at line ${fenceLine}`));
        else {
          steps.push({
            def: def.data,
            title: heading || def.data.id,
            instructions: prose.join('\n').trim(),
            line: fenceLine,
            lineOf: block.lineOf,
          });
          unknownFields.push(...unknownFieldIssues(file, block.value, def.data, block.lineOf, `step "${def.data.id}"`));
        }
      }
      prose = [];
      i = end;
      continue;
    }
    prose.push(line);
  }
  if (!steps.length && !issues.length)
    issues.push({
      file,
      line: close + 2,
      code: 'no_steps',
      message: 'The SOP has no ```step blocks; add at least one step.',
    });
  if (issues.length || !meta.success) return { issues };
  const hash = createHash('sha256').update(source).digest('hex');
  return {
    doc: { file, meta: meta.data, intro: intro ?? prose.join('\n').trim(), steps, source, hash, unknownFields },
    issues,
  };
}
