/**
 * A tiny SMTP server for tests: accepts every message on a free port and keeps it. Enough for nodemailer's SMTP client.
 * `failFirst` answers the first messages' DATA with a temporary failure; while `refuse()` says so, every connection is
 * turned away at the greeting (421, "service not available"), as a mail server that is down for maintenance does.
 */
import { createServer, type Server } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export async function startSmtpServer(
  opts: { failFirst?: number; refuse?: () => boolean } = {},
): Promise<{ url: string; mails: ReceivedMail[]; refused(): number; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  let refused = 0;
  let toFail = opts.failFirst ?? 0;
  const server: Server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let cur: ReceivedMail = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(line + '\r\n');
    if (opts.refuse?.()) {
      refused++;
      socket.on('error', () => {});
      socket.end('421 4.3.2 Service not available, closing transmission channel\r\n');
      return;
    }
    reply('220 test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          cur.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          if (toFail > 0) {
            toFail--;
            reply('451 try again later');
          } else {
            mails.push(cur);
            reply('250 queued');
          }
          cur = { from: '', to: [], data: '' };
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') reply('250 test');
        else if (cmd === 'MAIL') {
          cur.from = line;
          reply('250 ok');
        } else if (cmd === 'RCPT') {
          cur.to.push(line);
          reply('250 ok');
        } else if (cmd === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (cmd === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (cmd === 'RSET' || cmd === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** How many connections were turned away. */
    refused: () => refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
