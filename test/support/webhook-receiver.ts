/**
 * A webhook receiver: a real HTTP server on a free local port that records each request (headers and raw body) and
 * answers what `respond` says, after its delay — a slow receiver, one that fails, one that is down.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (real time, ms). */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** How many requests it has answered so far. */
  answered(): number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  opts: { respond?: (r: Received, n: number) => { status: number; delayMs?: number } } = {},
): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let answered = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      const { status, delayMs = 0 } = opts.respond?.(r, received.length) ?? { status: 204 };
      setTimeout(() => {
        res.statusCode = status;
        res.end();
        answered++;
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Checks a request's Standard Webhooks signature with the secret, at the time it claims (the tests' clock is not the
 * real one, so the package's own freshness check is left to a receiver on real time): the signature the package makes
 * for its `webhook-id`, `webhook-timestamp` and body must be among those it carries.
 */
export function signatureValid(r: Received, secret: string): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = Number(r.headers['webhook-timestamp']);
  const expected = new Webhook(secret).sign(id, new Date(ts * 1000), r.body);
  return String(r.headers['webhook-signature']).split(' ').includes(expected);
}
