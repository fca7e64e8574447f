/**
 * Reads a snapshot from text chunks (a file, an HTTP body) as records, without holding the whole file:
 * JSON Lines are streamed line by line. The single-document form (`{customers, products, orders}`) is
 * recognised by its first line and read whole.
 */
import { DomainError } from '../../kernel/errors.js';
import { SnapshotDocument, type SourceRecord } from './records.js';

const SECTIONS = [
  ['customers', 'customer'],
  ['products', 'product'],
  ['orders', 'order'],
] as const;

async function* lines(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n', start)) {
      yield rest.slice(start, nl);
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.length) yield rest;
}

function malformed(where: string, line: number | undefined, message: string): DomainError {
  return new DomainError(
    'invalid_argument',
    `${where}: not valid JSON (${message}). Each line of a JSON Lines snapshot is one JSON object.`,
    {
      reason: 'malformed_json',
      record: where,
      ...(line !== undefined ? { line } : {}),
      fields: [{ path: '(record)', message: 'malformed JSON' }],
    },
  );
}

/** PostgreSQL text cannot hold NUL characters; a record with one is refused before it reaches the database. */
function checkNul(text: string, where: string, line: number | undefined): void {
  if (text.includes('\\u0000')) {
    throw new DomainError('invalid_argument', `${where}: text may not contain NUL characters (\\u0000).`, {
      record: where,
      ...(line !== undefined ? { line } : {}),
      fields: [{ path: '(record)', message: 'NUL character' }],
    });
  }
}

function documentRecords(text: string): SourceRecord[] {
  checkNul(text, 'document', undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw malformed('document', undefined, e instanceof Error ? e.message : String(e));
  }
  const doc = SnapshotDocument.safeParse(parsed);
  if (!doc.success) {
    const issue = doc.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(document)';
    throw new DomainError(
      'invalid_argument',
      `document: ${path}: ${issue?.message ?? 'invalid'}. A snapshot document is {"customers": [], "products": [], "orders": []}.`,
      {
        record: 'document',
        fields: [{ path, message: issue?.message ?? 'invalid' }],
      },
    );
  }
  const out: SourceRecord[] = [];
  for (const [section, type] of SECTIONS) {
    doc.data[section].forEach((value, i) => {
      // In the document form the section names the type; a `type` given anyway must agree.
      const v =
        value !== null && typeof value === 'object' && !Array.isArray(value) ? { type, ...(value as object) } : value;
      out.push({ where: `${section}[${i}]`, value: v });
    });
  }
  return out;
}

const looksLikeDocument = (v: unknown) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !('type' in v) && SECTIONS.some(([s]) => s in v);

export async function* readSnapshot(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<SourceRecord> {
  const it = lines(chunks)[Symbol.asyncIterator]();
  let n = 0;
  let first: string | undefined;
  // Skip leading blank lines to find the first record.
  for (let r = await it.next(); !r.done; r = await it.next()) {
    n++;
    if (r.value.trim()) {
      first = r.value;
      break;
    }
  }
  if (first === undefined) return;
  let value: unknown;
  let parsed = true;
  try {
    value = JSON.parse(first);
  } catch {
    parsed = false;
  }
  if (!parsed || looksLikeDocument(value)) {
    // Not a one-line record: the whole input may be the single-document form.
    let text = first;
    for (let r = await it.next(); !r.done; r = await it.next()) text += '\n' + r.value;
    let whole = true;
    try {
      JSON.parse(text);
    } catch {
      whole = false;
    }
    if (whole) {
      yield* documentRecords(text);
      return;
    }
    throw malformed(
      parsed ? 'document' : `line ${n}`,
      parsed ? undefined : n,
      parsed ? 'trailing text after the document' : 'a record must be one JSON object on one line',
    );
  }
  checkNul(first, `line ${n}`, n);
  yield { where: `line ${n}`, line: n, value };
  for (let r = await it.next(); !r.done; r = await it.next()) {
    n++;
    const text = r.value.trim();
    if (!text) continue;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw malformed(`line ${n}`, n, e instanceof Error ? e.message : String(e));
    }
    checkNul(text, `line ${n}`, n);
    yield { where: `line ${n}`, line: n, value };
  }
}
