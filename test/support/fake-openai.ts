/**
 * A fake of OpenAI's Chat Completions API (POST /v1/chat/completions) on loopback, scripted per test: each request
 * is answered by the next queued reply, else by the script. It answers as OpenAI does — a tool call in
 * `choices[0].message.tool_calls` with its arguments as a JSON string, `finish_reason: tool_calls`, `usage` in
 * tokens; errors as `{ error: { message, type, code } }` with their status (429 with `retry-after`); with
 * `stream: true`, server-sent `chat.completion.chunk` events ending in `data: [DONE]`. Every request is kept
 * for assertions (the tools offered, what the model was shown).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: unknown }[];
  /** The function tools offered, by name, with their JSON Schema. */
  tools: { name: string; description?: string; parameters: unknown }[];
  toolChoice: unknown;
  stream: boolean;
  authorization: string | undefined;
  /** The system and user text, joined: what the model was shown. */
  text: string;
}

type FakeAnswer =
  /** A tool call; `args` as a string is sent as is (malformed JSON, say). */
  | { tool: string; args?: Record<string, unknown> | string }
  | { text: string }
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Never answers: the client times out. */
  | { hang: true };

export type FakeReply =
  | FakeAnswer
  /** Something that happens while the model thinks (a person takes the conversation): done, then the reply. */
  | { meanwhile: () => Promise<unknown>; reply: FakeAnswer };

export type Script = (req: FakeChatRequest) => FakeReply;

export interface FakeOpenAI {
  /** Base URL for the provider (ends in /v1). */
  url: string;
  requests: FakeChatRequest[];
  /** Replies for the next requests, in order; then the script answers. */
  queue(...replies: FakeReply[]): void;
  script(s: Script): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export async function startFakeOpenAI(initial?: Script): Promise<FakeOpenAI> {
  const queued: FakeReply[] = [];
  let script: Script | undefined = initial;
  const requests: FakeChatRequest[] = [];
  let n = 0;
  const hanging = new Set<() => void>();
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `Unknown route ${req.url}`, type: 'invalid_request_error' } }));
        return;
      }
      const raw = JSON.parse(await body(req)) as {
        model: string;
        messages: { role: string; content: unknown }[];
        tools?: { type: string; function: { name: string; description?: string; parameters: unknown } }[];
        tool_choice?: unknown;
        stream?: boolean;
      };
      const text = raw.messages
        .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
        .join('\n');
      const r: FakeChatRequest = {
        model: raw.model,
        messages: raw.messages,
        tools: (raw.tools ?? []).map((t) => t.function),
        toolChoice: raw.tool_choice,
        stream: raw.stream === true,
        authorization: req.headers.authorization,
        text,
      };
      requests.push(r);
      let reply = queued.shift() ?? script?.(r) ?? { status: 500, message: 'the fake has no reply scripted' };
      if ('meanwhile' in reply) {
        await reply.meanwhile();
        reply = reply.reply;
      }
      if ('hang' in reply) {
        await new Promise<void>((resolve) => {
          hanging.add(resolve);
          req.socket.once('close', () => resolve());
        });
        res.destroy();
        return;
      }
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(
          JSON.stringify({
            error: {
              message: reply.message ?? `error ${reply.status}`,
              type: reply.status === 429 ? 'requests' : 'server_error',
              code: reply.status === 429 ? 'rate_limit_exceeded' : null,
            },
          }),
        );
        return;
      }
      const id = `chatcmpl-fake${++n}`;
      const created = Math.floor(Date.now() / 1000);
      const toolCall =
        'tool' in reply
          ? {
              id: `call_${n}`,
              type: 'function',
              function: {
                name: reply.tool,
                arguments: typeof reply.args === 'string' ? reply.args : JSON.stringify(reply.args ?? {}),
              },
            }
          : undefined;
      const content = 'text' in reply ? reply.text : null;
      const usage = {
        prompt_tokens: tokens(text),
        completion_tokens: tokens(JSON.stringify(toolCall ?? content)),
        total_tokens: 0,
      };
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      const finish = toolCall ? 'tool_calls' : 'stop';
      if (!r.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created,
            model: raw.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content, ...(toolCall ? { tool_calls: [toolCall] } : {}) },
                finish_reason: finish,
              },
            ],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: unknown, finishReason: string | null, extra: object = {}) =>
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: raw.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' }, null);
      if (toolCall) chunk({ tool_calls: [{ index: 0, ...toolCall }] }, null);
      else chunk({ content }, null);
      chunk({}, finish, { usage });
      res.end('data: [DONE]\n\n');
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    queue: (...replies) => void queued.push(...replies),
    script: (s) => void (script = s),
    close: async () => {
      for (const h of hanging) h();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
