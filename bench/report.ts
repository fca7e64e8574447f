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
  'ai-turn': (f) => `## AI agent: sopdesk's own time per turn

The Handling Returns procedure driven by ${f.conversations} conversations of 7 customer messages each (up to the
return's preview, which the customer declines, so the run repeats), with the AI SDK's mock model answering at zero
latency: every millisecond is sopdesk's (reading the messages, the SOP runner and its tools, the reply, the trace),
on PostgreSQL. Load average on the machine at the end of the run: ${f.loadAverage} on ${f.cores} cores (it is shared:
the wall time waits for the CPU and the database behind the other work; the CPU of this process does not).
The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} client: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps**
(average latency ${f.pgbenchTpcb.latencyAvgMs} ms for its 5 statements).

| measure | result | target |
|---|---|---|
| sopdesk's time per AI turn (${f.turns} turns) | p50 ${f.ownMsP50} ms, p99 ${f.ownMsP99} ms | p50 < 20 ms |
| CPU of this process per AI turn | p50 ${f.cpuMsP50} ms | |
| model calls per customer message | ${f.modelCallsPerCustomerMessage} (${f.modelCallsPerConversation} per conversation) | one per message that needs language |

Steps that need no language (say, check, branch, read-only tools, the ask step's question as written) make no model
call; the extra calls are the procedure choice's (first message) and the preview put in plain words.
`,
  simulate: (f) => `## Simulations: trials per minute, and a fresh trial store

The built-in suite (${f.server.simulations} simulations over the four built-in SOPs, k = ${f.k}) with the scripted
customer and the zero-latency scripted model: the figure is sopdesk's own cost (the AI agent's turns, the SOP runner
and its tools, judging the end state). Load average on the machine at the end: ${f.loadAverage} on ${f.cores} cores
(it is shared; the figures scale with it).

| database | trials/min | fresh trial store (p50) | a trial's conversation (p50) | passed |
|---|---|---|---|---|
| PostgreSQL, \`create database … template\`, ${f.server.concurrency} at once | ${f.server.simulationTrialsPerMinute} | ${f.server.freshStoreMsP50} ms | ${f.server.trialMsP50} ms | ${f.server.passed}/${f.server.trials} |
| embedded, reset to the store's snapshot, ${f.embedded.concurrency} at once | ${f.embedded.simulationTrialsPerMinute} | ${f.embedded.freshStoreMsP50} ms | ${f.embedded.trialMsP50} ms | ${f.embedded.passed}/${f.embedded.trials} |

**Model calls per customer message** over the suite's conversations (the scripted model counts each call, retries
included): ${f.embedded.modelCallsPerCustomerMessage ?? 'not measured'} — ${f.embedded.modelCalls ?? '-'} calls for ${f.embedded.customerMessages ?? '-'} customer messages${f.k > 1 ? ` (${f.k} trials each)` : ''}.
By purpose: ${Object.entries(f.embedded.modelCallsPerPurpose ?? {})
    .map(([p, n]) => `${p} ${n}`)
    .join(', ')}.

A step that needs no language (say, check, branch, read-only tools, a question as written) makes no call; reading an
answer is one, the first message one more (the procedure's choice), a preview one (put in plain words) and the reply
to it one. Not in this figure: the scripted model reports no language, so a customer writing in another language adds
one call per reply with a real model (the store's texts put in theirs, \`phrase_for_customer\`); a product question's
searches are counted under \`extract_answer\`; a message while the run waits for an event is one
(\`while_waiting\`).

A fresh store on PostgreSQL includes waiting for the other trials' \`create database\` (one at a time: a template
cannot be copied twice at once); the embedded reset empties and refills every table of the trial's database from its
snapshot. The starting store is loaded once per database either way.
`,
  foundation: (f) => `## Foundation: import, reads, embedded start

| measure | sopdesk | comparison in the same run | target |
|---|---|---|---|
| import of ${f.import.orders.toLocaleString('en')} orders (${f.import.snapshotMiB} MiB JSONL) | ${f.import.importOrdersPerSecond.toLocaleString('en')} orders/s (${f.import.importSeconds} s) | plain \`COPY\` of the same rows: ${f.import.copyOrdersPerSecond.toLocaleString('en')} orders/s (${f.import.copySeconds} s) | ≥ 20,000 orders/s |
| order details over HTTP, 32 connections | ${f.reads.orderDetails.rps.toLocaleString('en')} req/s, p50 ${f.reads.orderDetails.p50ms} ms, p99 ${f.reads.orderDetails.p99ms} ms | \`pgbench -S -c 32\`: ${f.reads.pgbenchSelectOnly.tps.toLocaleString('en')} tps | ≥ 5,000 req/s, p99 < 20 ms |
| customer lookup by email over HTTP, 32 connections | ${f.reads.customerLookup.rps.toLocaleString('en')} req/s, p50 ${f.reads.customerLookup.p50ms} ms, p99 ${f.reads.customerLookup.p99ms} ms | (same pgbench run) | ≥ 5,000 req/s, p99 < 20 ms |
| embedded start (\`npm start\`, existing data dir) | median ${f.embeddedStart.restartMedianMs} ms (runs: ${f.embeddedStart.restartMs.join(', ')} ms); first start with demo load ${f.embeddedStart.firstStartWithDemoMs} ms | — | < 2 s |
| server resident memory | embedded ${f.embeddedStart.serverRssMiB} MiB; PostgreSQL mode after the read load ${f.reads.serverRssMiB} MiB | — | — |

Errors / non-2xx during the read load: ${f.reads.orderDetails.errors + f.reads.customerLookup.errors} / ${f.reads.orderDetails.non2xx + f.reads.customerLookup.non2xx}. ${f.import.note}.
`,
  actions: (f) => {
    const behind = (r: any) =>
      r.outbox ? `${r.outbox.pendingAtEnd.toLocaleString('en')}, caught up in ${r.outbox.drainSeconds} s` : '—';
    const row = (name: string, r: any) =>
      `| \`${name}\` | ${r.rps.toLocaleString('en')} req/s | ${r.p50ms} ms | ${r.p99ms} ms | ${r.requests.toLocaleString('en')} (${r.non2xx} non-2xx, ${r.errors} errors) | ${behind(r)} |`;
    return `## Order actions over HTTP, 32 connections, PostgreSQL

Each request is a real action on an order the rules accept (picked by SQL from a demo store), through
\`POST /v1/tools/{name}\` with an idempotency key: validate, lock the order, check every rule, write the change,
its timeline event and outbox row in one transaction, read the result back. Each tool is first warmed up for 3 s
with the same requests as dry runs (they change nothing), then measured; the outbox dispatcher runs throughout,
writing the confirmation message each accepted action calls for. It gets a share of the same two cores, so it falls
behind during the load: the last column is what it still owed when the load stopped, and how long it took to catch
up (the next tool starts after that).

| tool | throughput | p50 | p99 | requests | outbox rows behind when the load stops |
|---|---|---|---|---|---|
${row('initiate_return', f.initiateReturn)}
${row('refund_order', f.refundOrder)}
${row('cancel_order', f.cancelOrder)}

Comparison in the same run: \`pgbench\` TPC-B-like, 32 clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
Target: at least half of pgbench's tps (${Math.round(f.pgbenchTpcb.tps / 2).toLocaleString('en')}), p99 under 25 ms. Server resident memory after the load: ${f.serverRssMiB} MiB.
${
  f.pgbenchInitiateReturnSql
    ? `
Without the server: \`initiate_return\`'s own statements (written by \`bench/replay.ts\` from the code's prepared statements:
lock and claim, the order read, the return insert, the journal) replayed by pgbench on the same store, 32 clients, in the three
pipelined groups sopdesk sends:
**${f.pgbenchInitiateReturnSql.tps.toLocaleString('en')} tps** (${Math.round((100 * f.pgbenchInitiateReturnSql.tps) / f.pgbenchTpcb.tps)}% of TPC-B; average latency ${f.pgbenchInitiateReturnSql.latencyAvgMs} ms). That is what PostgreSQL
alone allows the action on this machine; the gap between it and the HTTP figure is the server's share of the two cores.
`
    : ''
}`;
  },
  sidebar: (
    f,
  ) => `## Agent Inbox: a conversation of a customer with ${f.orders.toLocaleString('en')} orders, in Chromium

From navigation start to the conversation usable: its messages shown and the actions of every order card shown ready
(the page's own clock, ${f.runs} runs, ${f.database} database, 1280×800). The sidebar shows the newest 10 orders ("Show
older orders" adds more); their actions come in one read (\`GET /v1/customers/{id}/orders/actions\`) beside the page
of orders, and a page opened on a conversation asks for it, its orders and the tool list while the session is checked.

| | usable p50 / p95 | messages shown p50 / p95 | first orders visible p50 / p95 | actions ready p50 / p95 |
|---|---|---|---|---|
| cold (new browser context) | **${f.cold.usable?.p50ms} / ${f.cold.usable?.p95ms} ms** | ${f.cold.messagesVisible?.p50ms} / ${f.cold.messagesVisible?.p95ms} ms | ${f.cold.firstOrdersVisible.p50ms} / ${f.cold.firstOrdersVisible.p95ms} ms | ${f.cold.actionsReady.p50ms} / ${f.cold.actionsReady.p95ms} ms |
| warm (reload) | ${f.warm.usable?.p50ms} / ${f.warm.usable?.p95ms} ms | — | ${f.warm.firstOrdersVisible.p50ms} / ${f.warm.firstOrdersVisible.p95ms} ms | ${f.warm.actionsReady.p50ms} / ${f.warm.actionsReady.p95ms} ms |

API requests until usable (cold): ${f.cold.apiRequests}, of them answered other than 2xx: ${f.cold.apiRequestsNot2xx}.
${f.pgbenchTpcb ? `The machine in the same run: \`pgbench\` TPC-B-like, 8 clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).\n` : ''}
Target: usable in under 1 s cold — ${f.underOneSecond ? 'met' : 'not met'} (cold p95).
`,
  email: (f) => `## Inbound email: a full mailbox read into the inbox

A Dovecot mailbox of ${f.messages.toLocaleString('en')} messages (a quarter open threads from new senders, the rest reply by
In-Reply-To, one in twenty is an auto-reply), read to its end once by the mail reader into a fresh PostgreSQL database:
each message fetched over IMAP, parsed, matched to its customer, threaded, stored with the mailbox cursor in one
transaction, then marked seen. Then, caught up, the reader idles (IMAP IDLE) on the full mailbox as the server runs it,
and new messages are appended one at a time: the time from each APPEND to its row in the database.

| figure | value |
|---|---|
| messages read per second | **${f.perSecond.toLocaleString('en')}** (${f.seconds} s for ${f.messages.toLocaleString('en')}; appending them took ${f.appendSeconds} s) |
| a new message, APPEND to stored, once caught up | **p50 ${f.newMessageMs?.p50 ?? '–'} ms**, max ${f.newMessageMs?.max ?? '–'} ms (${f.newMessageMs?.samples ?? 0} messages) |
| stored / ignored as automated | ${f.stored.toLocaleString('en')} / ${f.ignored.toLocaleString('en')} |
| conversations opened | ${f.conversations.toLocaleString('en')} |
| CPU of the reader's process per message | ${f.cpuMsPerMessage} ms |

A new message's time includes its APPEND (the mail server writing and syncing it) and Dovecot's own wait before it tells
an idling client (a bare IMAP client idling on the same server hears of a new message about 0.5 s after its APPEND
began, docs/email.md); the reader's fetch, store and mark-seen come after. The full read is bound by the database
work per message: a customer, a conversation or a threading lookup, the message, the email row, the journal and the
cursor, in one transaction.

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  widget: (f) => `## Chat widget: a visitor's message to the inbox, an agent's reply to the widget

Over loopback HTTP to an in-process server, one message at a time, live both ways as the product runs: a visitor's
message from the widget's POST to its \`message.received\` event on an agent's inbox stream (\`GET /v1/events\`), and
an agent's reply from its POST to the \`messages\` event carrying it on the visitor's widget stream
(\`GET /widget/v1/events\`). The POST's own 201 (answered after the commit) is shown for comparison.

| database | message → inbox event p50 / p99 | (its 201 p50 / p99) | reply → widget p50 / p99 |
|---|---|---|---|
| PostgreSQL | **${f.postgres.messageInInbox.p50ms}** / ${f.postgres.messageInInbox.p99ms} ms | ${f.postgres.messageStored.p50ms} / ${f.postgres.messageStored.p99ms} ms | **${f.postgres.replyInWidget.p50ms}** / ${f.postgres.replyInWidget.p99ms} ms |
| embedded (PGlite) | **${f.embedded.messageInInbox.p50ms}** / ${f.embedded.messageInInbox.p99ms} ms | ${f.embedded.messageStored.p50ms} / ${f.embedded.messageStored.p99ms} ms | **${f.embedded.replyInWidget.p50ms}** / ${f.embedded.replyInWidget.p99ms} ms |

${f.postgres.messages} messages from 50 visitors, ${f.postgres.replies} replies. Load average on the machine at the end: ${f.loadAverage} on 2 cores.

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  kogan: (f) => `## Kogan connector: orders imported, cancels pushed

A fake Kogan Marketplace API (real HTTP on loopback, test/support/fake-kogan.ts) holds ${f.orders.toLocaleString('en')} open orders.
The import reads them (${f.requests} request${f.requests === 1 ? '' : 's'}: Kogan's Get Orders has no paging) and writes each
order in its own transaction (its buyer found or created, its lines by SKU, Kogan's payment); a second poll finds every
order known and writes nothing. Then every order is canceled with the dispatcher stopped, and the outbox worker
(${f.outboxConcurrency} loops) pushes the backlog of cancels to Kogan, each one HTTP call plus its timeline event.

| figure | value |
|---|---|
| orders imported per second | **${f.importedPerSecond.toLocaleString('en')}** (${f.imported.toLocaleString('en')} in ${f.importSeconds} s) |
| known orders checked per second (second poll) | ${f.repollCheckedPerSecond.toLocaleString('en')} |
| cancels pushed to Kogan per second | **${f.pushesPerSecond.toLocaleString('en')}** (${f.pushes.toLocaleString('en')} pushes; ${f.canceledInKogan.toLocaleString('en')} canceled in Kogan) |
| CPU of this process per push | ${f.cpuMsPerPush} ms |

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  webhooks: (f) => `## Outbound webhooks: a slow receiver beside a fast one

Two subscriptions to the same ${f.events.toLocaleString('en')} events, written before the workers start: one receiver answers
after 1 s, the other at once (real HTTP on loopback). The webhook worker (16 in flight, 4 per subscription) and the
outbox worker (the events' other rows) run for ${f.seconds} s.

| figure | value |
|---|---|
| fast receiver: deliveries per second | **${f.fastDeliveriesPerS?.toLocaleString('en') ?? 'not all delivered'}** (all ${f.fastDelivered.toLocaleString('en')} after ${f.fastAllDeliveredAfterS ?? '–'} s) |
| the other outbox topics all delivered after | ${f.otherTopicsAllDeliveredAfterS ?? '–'} s |
| slow receiver: deliveries per second | ${f.slowDeliveriesPerS} (bounded by 4 in flight / 1 s; ${f.slowDelivered.toLocaleString('en')} delivered) |

The slow receiver holds back only its own deliveries: the fast one and the outbox's other topics go at their own pace.

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  shopify: (f) => `## Shopify webhooks: orders taken in

The fake shop the tests use (test/support/fake-shopify.ts) places ${f.orders.toLocaleString('en')} orders (new customers, 40 products
shared by all, like a sale), each delivered as Shopify delivers it — \`orders/create\`, \`orders/paid\` and
\`orders/updated\`, signed — and the ${f.deliveries.toLocaleString('en')} deliveries are posted ${f.concurrency} at a time to the webhook route
in-process, on PostgreSQL. Each is verified, parsed, reconciled and answered; the three deliveries of one order arrive
together and race, as Shopify's do. Run it with \`npm run bench -- shopify\` (\`BENCH_SHOPIFY_ORDERS\`, default 500;
\`BENCH_SHOPIFY_CONCURRENCY\`, default 8), or alone: \`npx tsx bench/shopify-webhooks.ts [orders] [concurrency]\`.

| figure | value |
|---|---|
| deliveries per second | **${f.deliveriesPerSecond.toLocaleString('en')}** (${f.ordersPerSecond.toLocaleString('en')} orders/s) |
| a delivery's answer | p50 ${f.latencyMs.p50} ms, p99 **${f.latencyMs.p99} ms**, max ${f.latencyMs.max} ms (Shopify allows 5 s) |
| mean per topic | ${Object.entries(f.meanMsByTopic)
    .map(([t, ms]) => `\`${t}\` ${ms} ms`)
    .join(', ')} |
| answered other than 200 | ${f.errors} |

Target: at least 310 deliveries/s (4× the first recorded 77–79/s), p99 under 1 s. Load average on the machine at the end: ${f.loadAverage} on ${f.cores} cores.

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  live: (f) => `## Live events: a write to its event on an SSE stream, across two server processes

Two servers on one fresh PostgreSQL database: the writes (\`POST /v1/conversations/inbound\`) go to one, the
subscribers (\`GET /v1/events\`) read the other, so each event crosses LISTEN/NOTIFY; loopback HTTP throughout.

| figure | value |
|---|---|
| request sent → its \`message.received\` event read, one write at a time (${f.latency.writes} writes) | p50 **${f.latency.p50ms} ms**, p99 ${f.latency.p99ms} ms |
| the write's own HTTP answer, for comparison | p50 ${f.latency.writeP50ms} ms, p99 ${f.latency.writeP99ms} ms |
| ${f.throughput.writes.toLocaleString('en')} writes by ${f.throughput.writers} writers at full speed | ${f.throughput.writesPerSecond.toLocaleString('en')} writes/s |
| events each of ${f.throughput.subscribers} subscribers received per second | **${f.throughput.eventsPerSecondPerSubscriber.toLocaleString('en')}** (${f.throughput.eventsPerSecondAllSubscribers.toLocaleString('en')} sent per second in all) |
| every event reached every subscriber | ${f.throughput.allArrived ? 'yes' : 'no'}; the last ${f.throughput.lagAfterLastWriteMs} ms after the last write answered |

The events per second above follow the writes: the streams kept up with them (the last event came right after the last
write), so that figure is a floor. The event's latency is about the write's own (the notification leaves on commit,
just before the write answers).

**What the channel sustains.** Events written straight into the timeline by another process, ${f.ceiling.eventsWritten.toLocaleString('en')} in ${f.ceiling.eventsWritten / 50} transactions of 50
(${f.ceiling.eventsWrittenPerSecond.toLocaleString('en')} a second), each announced as a write announces its events, to ${f.ceiling.subscribers} subscribers of the reading server:

| figure | value |
|---|---|
| events each subscriber received per second | **${f.ceiling.eventsPerSecondPerSubscriber.toLocaleString('en')}** (${f.ceiling.eventsPerSecondAllSubscribers.toLocaleString('en')} sent per second in all) |
| every event reached every subscriber | ${f.ceiling.allArrived ? 'yes' : 'no'}; the last ${f.ceiling.lagAfterLastWriteMs.toLocaleString('en')} ms after the last was written |

Load average on the machine at the end: ${f.loadAverage} on 2 cores. The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`,
  start: (f) => {
    // Records older than the CPU figures hold each start's wall time alone.
    if (!f.restart?.runs) return startWallOnly(f);
    const row = (label: string, s: any, target: string) =>
      `| ${label} | **${s.healthMedianMs} ms** (${s.runs.map((r: any) => r.healthMs).join(', ')}) | ${s.healthCpuMedianMs} ms (server ${s.healthServerCpuMedianMs}) | ${s.apiMedianMs} ms (${s.runs.map((r: any) => r.apiMs).join(', ')}) | ${s.apiCpuMedianMs} ms (server ${s.apiServerCpuMedianMs}) | ${target} |`;
    return `## First start and recovery: \`npm start\` on the embedded store until it answers

${f.runs} runs, each on a fresh data dir: the first start (demo store loaded; the web UI was built by \`npm ci\`), 20 writes,
a clean stop and a restart, 20 writes, SIGKILL to the server, and the reopen. Each start is timed from spawning
\`npm start\` to the first 200 from GET /health, and to the first answer of the API (an authenticated GET /v1/tokens,
whose HTTP stack loads behind /health); beside each, the CPU time (user + system, all threads) that npm and the server
had used by then, and the server alone. On a shared machine the CPU time says more about the start than the wall time.
Medians, with every run's wall time:

| | /health | CPU by /health | API | CPU by API | target (/health) |
|---|---|---|---|---|---|
${row('first start, demo store loaded', f.firstStart, '< 10 s')}
${row('restart after a clean stop', f.restart, '< 2 s')}
${row('reopen after kill -9', f.afterKill, '< 3 s')}

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`;
  },
};

function startWallOnly(f: any): string {
  return `## First start and recovery: \`npm start\` on the embedded store until GET /health answers

${f.runs} runs, each on a fresh data dir: the first start (demo store loaded; the web UI was built by \`npm ci\`), 20 writes,
a clean stop and a restart, 20 writes, SIGKILL to the server, and the reopen. Medians, with every run's figure:

| | median | runs | target |
|---|---|---|---|
| first start, demo store loaded | ${f.firstStartMedianMs} ms | ${f.firstStartMs.join(', ')} ms | < 10 s |
| restart after a clean stop | ${f.restartMedianMs} ms | ${f.restartMs.join(', ')} ms | < 2 s |
| reopen after kill -9 | ${f.afterKillMedianMs} ms | ${f.afterKillMs.join(', ')} ms | < 3 s |

The machine in the same run: \`pgbench\` TPC-B-like, ${f.pgbenchTpcb.clients} clients: **${f.pgbenchTpcb.tps.toLocaleString('en')} tps** (average latency ${f.pgbenchTpcb.latencyAvgMs} ms).
`;
}

const BEGIN = '<!-- bench:begin (generated by npm run bench) -->';
const END = '<!-- bench:end -->';

export function renderReport(outDir: string, target: string): void {
  const records: SectionRecord[] = existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(outDir, f), 'utf8')) as SectionRecord)
    : [];
  const order = [
    'foundation',
    'actions',
    'sidebar',
    'start',
    'email',
    'live',
    'widget',
    'kogan',
    'webhooks',
    'shopify',
  ];
  records.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  const machines = [...new Set(records.map((r) => JSON.stringify({ ...r.machine, date: undefined })))];
  const generated = [
    BEGIN,
    '## Figures from `npm run bench`',
    '',
    "The server under test runs as a separate process on this machine's PostgreSQL; the load generator (autocannon)",
    'and pgbench run on the same two cores, so every figure sits beside a comparison taken in the same run.',
    'Re-run a section with `npm run bench -- <section>` (sections: foundation, actions, sidebar, start, ai-turn, email, live, widget, simulate, kogan, webhooks, shopify); this part of the file is rewritten.',
    '',
    ...records.map(
      (r) =>
        `- ${r.section} (${r.machine.date}, ${r.seconds} s): ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}`,
    ),
    machines.length > 1
      ? '\nSections were taken at different times; compare each figure with the comparison of its own section.'
      : '',
    '',
    ...records.map((r) =>
      RENDER[r.section]
        ? RENDER[r.section]!(r.figures)
        : `## ${r.section}\n\n\`\`\`json\n${JSON.stringify(r.figures, null, 2)}\n\`\`\`\n`,
    ),
    END,
  ].join('\n');
  // Only the part between the markers is generated; the hand-written sections around it stay.
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n';
  const a = current.indexOf(BEGIN);
  const b = current.indexOf(END);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + generated + current.slice(b + END.length)
      : current.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${generated}\n`);
  writeFileSync(target, next);
}
