/**
 * `sopdesk sop import`: turns a help-centre article (plain text or HTML) into a draft SOP. Numbered steps
 * become manual steps, "Example:" lines their hints, cautionary notes a reminder step to tick; video
 * timestamps, image placeholders, Loom links, template filler and the article footer are dropped.
 */
import { parse as parseHtml, type HTMLElement, type Node as HtmlNode } from 'node-html-parser';
import { stringify } from 'yaml';
import { FILL_IN } from './format.js';

/** Where the article's footer starts: everything from here on is feedback widgets and branding. */
const FOOTER = /^(was this article helpful\??|powered by\b)/i;
/** Lines that are never content. */
const NOISE: RegExp[] = [
  /^generated-image-at-/i,
  /loom\.com\//i,
  /^link to loom$/i,
  /^modified on\b/i,
  /^updated .* ago$/i,
  /^all articles$/i,
  /^table of contents$/i,
  /^(yes|no|included\.?)$/i,
  /^that[’']s great!?$/i,
  /^thank you for your feedback$/i,
  /^sorry! we couldn[’']t be helpful$/i,
  /^let us know how can we improve/i,
  /^select at least one of the reasons$/i,
  /captcha/i,
  /^feedback sent$/i,
  /^we appreciate your effort/i,
];
/** Filler left over from the help-centre template: dropped, and it ends the step before it. */
const FILLER: RegExp[] = [
  /^if necessary list method here step by step$/i,
  /^also include how to communicate with customer\/marketplace throughout if required$/i,
  /^include relevant screenshots to help people locate this information$/i,
  /^e\.g\. can[’']t send rpl form so have to use this method$/i,
];
const TIMESTAMP = /\s+\d{1,2}:\d{2}(?::\d{2})?\s*$/;
const STEP = /^(\d{1,2})\s*[.)]\s+(.+)$/;
const BULLET = /^(?:[•*\-–·]|\u2022)\s*/;
const CAUTION = /^(cautionary notes?|caution|warning|important|notes?)\s*:?\s*$/i;
const SECTION_END = /^(tips( for efficiency)?|key steps|objective|scope)\s*:?\s*$/i;

export interface DraftStep {
  number: number;
  title: string;
  lines: string[];
  hints: string[];
  group?: string | undefined;
}

export interface Draft {
  title: string;
  intro: string[];
  steps: DraftStep[];
  cautions: string[];
  tips: string[];
  /** Paragraphs after the steps that belong to no step. */
  notes: string[];
}

/** HTML to lines: block elements break lines, list items keep their numbers or bullets, media is dropped. */
export function htmlToText(html: string): string {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, noscript: false } });
  const out: string[] = [];
  const walk = (node: HtmlNode, prefix = ''): void => {
    if (node.nodeType === 3) {
      out.push(prefix + node.text.replace(/\s+/g, ' '));
      return;
    }
    const el = node as HTMLElement;
    const tag = el.tagName?.toLowerCase() ?? '';
    if (['img', 'video', 'iframe', 'svg', 'figure', 'button', 'form', 'input'].includes(tag)) return;
    if (tag === 'ol' || tag === 'ul') {
      let n = 0;
      for (const child of el.childNodes) {
        if ((child as HTMLElement).tagName?.toLowerCase() !== 'li') continue;
        n++;
        out.push('\n');
        walk(child, tag === 'ol' ? `${n}. ` : '• ');
      }
      out.push('\n');
      return;
    }
    const block = /^(p|div|h[1-6]|li|br|tr|section|article|header|footer|table|blockquote)$/.test(tag);
    if (block) out.push('\n');
    for (const [i, c] of el.childNodes.entries()) walk(c, i === 0 ? prefix : '');
    if (block) out.push('\n');
  };
  walk(root);
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

export function looksLikeHtml(text: string): boolean {
  return /<(p|div|ol|ul|li|h[1-6]|br|span|a)\b[^>]*>/i.test(text);
}

function clean(line: string): string {
  return line
    .replace(/\u00a0/g, ' ')
    .replace(TIMESTAMP, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Marks where filler was dropped. */
const BREAK = '\u0000';

function isHeading(line: string): boolean {
  return line.length < 60 && !/[.!?,]$/.test(line) && !BULLET.test(line) && !/:\s*\S/.test(line);
}

export function readArticle(text: string): Draft {
  const raw = (looksLikeHtml(text) ? htmlToText(text) : text).split(/\r?\n/);
  const lines: string[] = [];
  for (const l of raw) {
    const c = clean(l);
    if (FOOTER.test(c)) break;
    const bare = c.replace(BULLET, '').replace(/^\d{1,2}\s*[.)]\s+/, '');
    if (!c) continue;
    if (NOISE.some((r) => r.test(c))) continue;
    if (FILLER.some((r) => r.test(bare))) {
      if (lines.length && lines.at(-1) !== BREAK) lines.push(BREAK);
      continue;
    }
    lines.push(c);
  }
  const first = lines.findIndex((l) => l !== BREAK);
  const title = (lines.splice(0, first + 1)[first] ?? 'Imported SOP').replace(/\s*Updated .* ago$/i, '').trim();
  const draft: Draft = { title, intro: [], steps: [], cautions: [], tips: [], notes: [] };
  let mode: 'intro' | 'steps' | 'cautions' | 'tips' = 'intro';
  let group: string | undefined;
  let pending: string | undefined;
  let current: DraftStep | undefined;
  const flush = () => {
    if (pending !== undefined && mode === 'intro') draft.intro.push(`### ${pending}`);
    pending = undefined;
  };
  for (const line of lines) {
    if (line === BREAK) {
      current = undefined;
      continue;
    }
    const body = line.replace(BULLET, '');
    if (CAUTION.test(line)) {
      mode = 'cautions';
      current = undefined;
      continue;
    }
    if (/^tips/i.test(line) && SECTION_END.test(line)) {
      mode = 'tips';
      current = undefined;
      continue;
    }
    if (SECTION_END.test(line)) continue;
    if (mode === 'cautions') {
      draft.cautions.push(body);
      continue;
    }
    if (mode === 'tips') {
      draft.tips.push(body);
      continue;
    }
    const step = STEP.exec(line);
    if (step) {
      if (pending !== undefined) group = pending.replace(/\s*:\s*$/, '');
      pending = undefined;
      current = { number: Number(step[1]), title: step[2]!.trim(), lines: [], hints: [], group };
      draft.steps.push(current);
      mode = 'steps';
      continue;
    }
    if (/^example:/i.test(body) || /^e\.g\./i.test(body)) {
      if (current) current.hints.push(body);
      else {
        flush();
        draft.intro.push(`- ${body}`);
      }
      continue;
    }
    if (current && BULLET.test(line)) {
      current.lines.push(body);
      continue;
    }
    // A short line without a full stop is a heading: of the next steps, or of a section of the intro.
    if (isHeading(line)) {
      // A heading followed by another heading had only filler under it: drop it.
      pending = line;
      current = undefined;
      continue;
    }
    if (current) current.lines.push(body);
    else if (mode === 'intro') {
      flush();
      draft.intro.push(BULLET.test(line) ? `- ${body}` : line);
    } else {
      pending = undefined;
      draft.notes.push(body);
    }
  }
  return draft;
}

function slug(text: string, words = 5): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, words)
    .join('_');
  return /^[a-z]/.test(s) ? s : `step_${s}`;
}

/** What a manual step must produce, guessed from its text; the lead refines it. */
function evidenceFor(text: string): Record<string, string> {
  const ev: Record<string, string> = {};
  if (/ESG-/i.test(text)) ev.esgNumber = '^ESG-\\d+$';
  if (/\bemail\b/i.test(text) && /\b(note|copy|capture|record)\b/i.test(text)) ev.customerEmail = 'email';
  if (/green box/i.test(text)) ev.greenBoxSeen = 'confirmed';
  if (/order number/i.test(text) && !ev.esgNumber) ev.orderNumber = 'string';
  if (!Object.keys(ev).length) ev.done = 'confirmed';
  return ev;
}

function block(def: Record<string, unknown>): string {
  return '```step\n' + stringify(def, { lineWidth: 0 }).trimEnd() + '\n```\n';
}

export function importArticle(text: string, source = 'article'): { markdown: string; draft: Draft } {
  const draft = readArticle(text);
  const title = draft.title.replace(/\s*-\s*SOP$/i, '').trim();
  const id = slug(title, 6).replace(/_/g, '-');
  const objective = draft.intro.find((l) => /this sop|outlines|applies/i.test(l));
  const fm = stringify(
    {
      id,
      title,
      version: 1,
      appliesWhen: objective ?? `${FILL_IN} when an agent should follow "${title}"`,
      triggers: [],
      channel: 'any',
    },
    { lineWidth: 0 },
  );
  const out: string[] = [
    '---',
    fm.trimEnd(),
    '---',
    '',
    `# ${title}`,
    '',
    `> Draft imported from ${source}. Review every step, its evidence and the reminders before use.`,
    '',
  ];
  if (draft.intro.length) out.push(...draft.intro, '');
  const used = new Set<string>();
  let group: string | undefined;
  for (const s of draft.steps) {
    if (s.group && s.group !== group) {
      group = s.group;
      out.push(`### ${group}`, '');
    }
    let sid = slug(s.title);
    for (let n = 2; used.has(sid); n++) sid = `${slug(s.title)}_${n}`;
    used.add(sid);
    out.push(`## ${s.number}. ${s.title}`, '');
    if (s.lines.length) out.push(...s.lines, '');
    const def: Record<string, unknown> = { id: sid, kind: 'manual' };
    if (s.hints.length) def.hints = s.hints;
    def.evidence = evidenceFor([s.title, ...s.lines].join(' '));
    out.push(block(def));
  }
  if (draft.cautions.length) {
    out.push('## Check before finishing', '', ...draft.cautions.map((c) => `- ${c}`), '');
    const evidence = Object.fromEntries(
      draft.cautions.map((c, i) => [`reminder${i + 1}`, { type: 'confirmed', label: c }]),
    );
    out.push(block({ id: 'check_reminders', kind: 'manual', evidence }));
  }
  if (draft.tips.length) out.push('## Tips', '', ...draft.tips.map((t) => `- ${t}`), '');
  if (draft.notes.length) out.push('## Notes', '', ...draft.notes.map((t) => `- ${t}`), '');
  return { markdown: out.join('\n').replace(/\n{3,}/g, '\n\n'), draft };
}
