/** The SOPs a desk runs: `sops/<id>/sop.md`, each with its scenarios in `sops/<id>/scenarios/*.yaml`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SopDocument } from './format.js';
import type { SopIssue } from './issues.js';
import { parseSop } from './parser.js';

export interface SopLibrary {
  list(): SopDocument[];
  get(id: string): SopDocument | undefined;
  /** Files that could not be parsed. */
  issues: SopIssue[];
}

export function defaultSopsDir(): string {
  return process.env.SOPDESK_SOPS_DIR ?? fileURLToPath(new URL('../../sops', import.meta.url));
}

/** `<dir>/<id>/sop.md` files, in name order. */
export function sopFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'sop.md')))
    .map((d) => join(dir, d.name, 'sop.md'))
    .sort();
}

export function libraryOf(docs: SopDocument[], issues: SopIssue[] = []): SopLibrary {
  const byId = new Map(docs.map((d) => [d.meta.id, d]));
  return { list: () => [...byId.values()], get: (id) => byId.get(id), issues };
}

export function loadLibrary(dir: string = defaultSopsDir()): SopLibrary {
  const docs: SopDocument[] = [];
  const issues: SopIssue[] = [];
  for (const file of sopFiles(dir)) {
    const parsed = parseSop(readFileSync(file, 'utf8'), relative(process.cwd(), file) || file);
    if (parsed.doc) docs.push(parsed.doc);
    issues.push(...parsed.issues);
  }
  return libraryOf(docs, issues);
}

let cached: SopLibrary | undefined;
/** The default library, read once per process. */
export function defaultLibrary(): SopLibrary {
  cached ??= loadLibrary();
  return cached;
}
