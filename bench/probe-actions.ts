// uncommitted probe: initiate_return load on sdprobe; resets afterwards
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { load } from './lib.js';
const url = 'postgres://postgres@127.0.0.1:5432/sdprobe';
const lines = readFileSync('/tmp/ret.txt', 'utf8').trim().split('\n').map((l) => l.split(' '));
const conns = Number(process.argv[2] ?? 32), seconds = Number(process.argv[3] ?? 5);
const c = new pg.Client({ connectionString: url }); await c.connect();
const t0 = (await c.query('select now() as t')).rows[0].t;
let i = 0; let k = Date.now();
const r = await load({ url: 'http://127.0.0.1:3950', connections: conns, seconds, token: 'probe-admin-token-0123456789abcdef', next: () => {
  const [n, item] = lines[i++ % lines.length]!;
  return { method: 'POST', path: '/v1/tools/initiate_return', body: { orderId: `#${n}`, items: [{ itemId: item, quantity: 1 }], reason: 'DEFECTIVE' }, headers: { 'idempotency-key': `probe-${k++}` } };
} });
console.log(JSON.stringify(r));
if (process.env.MARK) { const { execSync } = await import('node:child_process'); console.log('cpu-after-load', execSync('/tmp/cpu.sh').toString().trim()); }
await c.query(`delete from return_items where return_id in (select id from returns where requested_at >= $1)`, [t0]);
const d = await c.query(`delete from returns where requested_at >= $1`, [t0]);
await c.query(`delete from messages where created_at >= $1`, [t0]);
await c.query(`delete from timeline_events where occurred_at >= $1`, [t0]);
await c.query(`delete from outbox where created_at >= $1`, [t0]);
await c.query(`delete from idempotency_keys where created_at >= $1`, [t0]);
console.log('reset', d.rowCount);
await c.end();
