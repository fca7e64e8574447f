/** Renders docs/BENCHMARKS.md from the section records in bench/out/. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface SectionRecord {
  section: string;
  machine: Record<string, string | number>;
  seconds: number;
  figures: unknown;
}

/** Each section's figures, rendered as the tables of BENCHMARKS.md; a section without a renderer prints its JSON. */
const RENDER: Record<string, (f: any) => string> = {
  foundation: (f) => `## Foundation (issue 2): import, reads, embedded start

| measure | sopdesk | comparison in the same run | target |
|---|---|---|---|
| import of ${f.import.orders.toLocaleString('en')} orders (${f.import.snapshotMiB} MiB JSONL) | ${f.import.importOrdersPerSecond.toLocaleString('en')} orders/s (${f.import.importSeconds} s) | plain \`COPY\` of the same rows: ${f.import.copyOrdersPerSecond.toLocaleString('en')} orders/s (${f.import.copySeconds} s) | ≥ 20,000 orders/s |
| order details over HTTP, 32 connections | ${f.reads.orderDetails.rps.toLocaleString('en')} req/s, p50 ${f.reads.orderDetails.p50ms} ms, p99 ${f.reads.orderDetails.p99ms} ms | \`pgbench -S -c 32\`: ${f.reads.pgbenchSelectOnly.tps.toLocaleString('en')} tps | ≥ 5,000 req/s, p99 < 20 ms |
| customer lookup by email over HTTP, 32 connections | ${f.reads.customerLookup.rps.toLocaleString('en')} req/s, p50 ${f.reads.customerLookup.p50ms} ms, p99 ${f.reads.customerLookup.p99ms} ms | (same pgbench run) | ≥ 5,000 req/s, p99 < 20 ms |
| embedded start (\`npm start\`, existing data dir) | median ${f.embeddedStart.restartMedianMs} ms (runs: ${f.embeddedStart.restartMs.join(', ')} ms); first start with demo load ${f.embeddedStart.firstStartWithDemoMs} ms | — | < 2 s |
| server resident memory | embedded ${f.embeddedStart.serverRssMiB} MiB; PostgreSQL mode after the read load ${f.reads.serverRssMiB} MiB | — | — |

Errors / non-2xx during the read load: ${f.reads.orderDetails.errors + f.reads.customerLookup.errors} / ${f.reads.orderDetails.non2xx + f.reads.customerLookup.non2xx}. ${f.import.note}.
`,
};

export function renderReport(outDir: string, target: string): void {
  const records: SectionRecord[] = existsSync(outDir)
    ? readdirSync(outDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(outDir, f), 'utf8')) as SectionRecord)
    : [];
  const order = ['foundation', 'actions', 'inbox', 'sop'];
  records.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  const machines = [...new Set(records.map((r) => JSON.stringify({ ...r.machine, date: undefined })))];
  const parts = [
    '# Benchmarks',
    '',
    'Measured with `npm run bench` (see `bench/`), kept out of `npm test`. The server under test runs as a separate',
    'process on this machine\'s PostgreSQL; the load generator (autocannon) and pgbench run on the same two cores, so',
    'every figure sits beside a comparison taken in the same run. Re-run a section with `npm run bench -- <section>`.',
    '',
    '## Machine',
    '',
    ...records.map((r) => `- ${r.section} (${r.machine.date}, ${r.seconds} s): ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}`),
    machines.length > 1 ? '\nSections were taken at different times; compare each figure with the comparison of its own section.' : '',
    '',
    ...records.map((r) => (RENDER[r.section] ? RENDER[r.section]!(r.figures) : `## ${r.section}\n\n\`\`\`json\n${JSON.stringify(r.figures, null, 2)}\n\`\`\`\n`)),
  ];
  writeFileSync(target, parts.join('\n'));
}
