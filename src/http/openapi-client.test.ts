/**
 * A client generated from /openapi.json is as typed as the document: openapi-typescript writes the types, and a
 * small program that reads answers the way a client would (an order's `name`, a run's current step, …) must compile
 * against them with tsc — and a misspelt field must not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../tools/catalogue.js';
import { openApiDocument } from './openapi.js';

const PROGRAM = `
import type { paths } from './api';

type Ok<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;
type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;

declare const order: Ok<'/v1/orders/{ref}', 'get'>;
const name: string = order.name;
const total: number = order.totals.total;
const label: string | undefined = order.packages[0]?.statusLabel;
const financial: 'paid' | 'pending' | 'partially_paid' | 'partially_refunded' | 'refunded' | 'voided' | 'authorized' | 'expired' = order.status.financial;

declare const customer: Ok<'/v1/customers/{id}', 'get'>;
const email: string | undefined = customer.emails[0]?.email;

declare const summary: Ok<'/v1/customers/{id}/orders/summary', 'get'>;
const text: string = summary.text;

declare const conversation: Ok<'/v1/conversations/{id}', 'get'>;
const firstMessage: string | undefined = conversation.messages[0]?.body;

declare const created: Ok<'/v1/orders', 'post', 201>;
const createdName: string = created.name;

declare const run: Ok<'/v1/sop-runs', 'post', 201>;
const needs: string | undefined = run.current?.needs;

declare const agentRun: Ok<'/v1/tools/start_sop', 'post'>;
const nextAction: string = agentRun.nextAction;

declare const cancel: Ok<'/v1/orders/{id}/cancel', 'post'>;
const summaryText: string = cancel.preview.summary;

const body: Body<'/v1/tools/cancel_order', 'post'> = { orderId: '#1001', reason: 'customer', dryRun: true };
// @ts-expect-error an order has no field "nmae"
order.nmae;
// @ts-expect-error cancel_order needs a reason
const missing: Body<'/v1/tools/cancel_order', 'post'> = { orderId: '#1001' };

export { name, total, label, financial, email, text, firstMessage, createdName, needs, nextAction, summaryText, body, missing };
`;

/** tsc on the files, written to a temporary folder: the diagnostics, none when it compiles. */
function compile(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sopdesk-client-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
    };
    const program = ts.createProgram([join(dir, 'main.ts')], options);
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a client generated from /openapi.json', () => {
  it('compiles a program that reads typed answers, and refuses a misspelt field', async () => {
    const doc = openApiDocument(TOOLS);
    const api = astToString(await openapiTS(doc as never, { silent: true }));
    expect(api).toContain('"/v1/orders/{ref}"');
    expect(compile({ 'main.ts': PROGRAM, 'api.ts': api })).toEqual([]);
  });
});
