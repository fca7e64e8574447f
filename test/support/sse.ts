/** Reads a server-sent event stream (a fetch Response's body) as messages, for the live event tests and bench. */
export interface SseMessage {
  event: string;
  id?: string | undefined;
  data: string;
}

export interface SseReader {
  /** Messages read so far (heartbeat comments are counted in `heartbeats`, not kept). */
  readonly messages: SseMessage[];
  readonly heartbeats: number;
  /** Resolves once a message passes `test` (looking at those read before too); rejects after `timeoutMs`. */
  next(test: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export function readSse(res: Response, onMessage?: (m: SseMessage) => void): SseReader {
  if (!res.body) throw new Error('no body to read');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let heartbeats = 0;
  let buffer = '';
  const frame = (text: string) => {
    const m: SseMessage = { event: 'message', data: '' };
    const data: string[] = [];
    let comment = false;
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) comment = true;
      const [, field, value] = /^([^:]*):? ?(.*)$/.exec(line) ?? [];
      if (field === 'event') m.event = value!;
      else if (field === 'id') m.id = value;
      else if (field === 'data') data.push(value!);
    }
    if (comment && !data.length) return void heartbeats++;
    m.data = data.join('\n');
    messages.push(m);
    onMessage?.(m);
    for (const w of waiters) w();
  };
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += value;
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        frame(buffer.slice(0, at));
        buffer = buffer.slice(at + 2);
      }
    }
    for (const w of waiters) w();
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    messages,
    get heartbeats() {
      return heartbeats;
    },
    ended,
    next(test, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(test);
          if (m) return finish(() => resolve(m));
          if (done) finish(() => reject(new Error('the stream ended')));
        };
        const timer = setTimeout(
          () =>
            finish(() => reject(new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`))),
          timeoutMs,
        );
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    close: async () => {
      await reader.cancel().catch(() => undefined);
    },
  };
}
