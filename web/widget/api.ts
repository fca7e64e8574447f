/**
 * The widget's calls to sopdesk's public widget API (/widget/v1, docs/chat-widget.md), and where replies come from.
 * Replies reach the widget through a `ReplyFeed`: `streamFeed` reads the server-sent events of /widget/v1/events and
 * falls back to `pollingFeed`, which asks every few seconds, when the stream cannot be kept open.
 */
export interface ChatMessage {
  id: string;
  seq: number;
  from: 'visitor' | 'support';
  body: string;
  createdAt: string;
}

export interface Identity {
  email?: string;
  customerId?: string;
  hash: string;
}

/** A refusal of the API: its stable code and reason (`rate_limited`, `visitor_token_invalid`, …). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string | undefined,
  ) {
    super(`${status} ${code}${reason ? ` (${reason})` : ''}`);
  }
}

export class WidgetApi {
  constructor(
    private readonly base: string,
    public token: string | undefined,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, key?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const res = await fetch(`${this.base}/widget/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'network', json.error?.reason);
    return json as T;
  }

  /** Sends a message; the first one (no token yet) carries the email or the store's identity and gets the token. */
  async send(
    body: string,
    first: { email?: string; identity?: Identity },
    key: string,
  ): Promise<{ visitorToken?: string; message: ChatMessage }> {
    const sent = await this.call<{ visitorToken?: string; message: ChatMessage }>(
      'POST',
      '/messages',
      this.token ? { body } : { body, ...first },
      this.token ? key : undefined,
    );
    if (sent.visitorToken) this.token = sent.visitorToken;
    return sent;
  }

  messages(after: number): Promise<{ messages: ChatMessage[] }> {
    return this.call('GET', `/messages?after=${after}`);
  }

  /** Opens the visitor's event stream (read with fetch, not EventSource, so the token travels in a header). */
  async events(after: number, signal: AbortSignal): Promise<Response> {
    const res = await fetch(`${this.base}/widget/v1/events?after=${after}`, {
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' },
      signal,
    });
    if (!res.ok) {
      const json = await res.json().catch(() => ({}));
      throw new ApiError(res.status, json.error?.code ?? 'network', json.error?.reason);
    }
    return res;
  }
}

/** Where new messages come from: `start` delivers every message after `after` until the returned stop is called. */
export interface ReplyFeed {
  start(after: number, deliver: (messages: ChatMessage[]) => void, fail: (e: unknown) => void): () => void;
}

/** Asks for new messages every `intervalMs` while the page is visible, and at once when it becomes visible again. */
export function pollingFeed(api: WidgetApi, intervalMs: number): ReplyFeed {
  return {
    start(after, deliver, fail) {
      let cursor = after;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const tick = async () => {
        timer = undefined;
        if (stopped) return;
        if (document.visibilityState !== 'hidden') {
          try {
            const { messages } = await api.messages(cursor);
            if (messages.length) {
              cursor = messages.at(-1)!.seq;
              deliver(messages);
            }
          } catch (e) {
            fail(e);
          }
        }
        if (!stopped) timer = setTimeout(tick, intervalMs);
      };
      const onVisible = () => {
        if (document.visibilityState === 'visible' && timer !== undefined) {
          clearTimeout(timer);
          void tick();
        }
      };
      document.addEventListener('visibilitychange', onVisible);
      void tick();
      return () => {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        document.removeEventListener('visibilitychange', onVisible);
      };
    },
  };
}

/**
 * Replies over the visitor's event stream: each `messages` event is delivered as it comes, and a dropped stream is
 * opened again after the last seq seen. A stream that fails twice in a row before it is ready (a proxy that buffers or
 * cuts it, an old browser, too many tabs) gives way to `fallback` for the rest of the page's life.
 */
export function streamFeed(api: WidgetApi, fallback: ReplyFeed): ReplyFeed {
  return {
    start(after, deliver, fail) {
      let cursor = after;
      let stopped = false;
      let failures = 0;
      let abort: AbortController | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopFallback: (() => void) | undefined;
      const take = (messages: ChatMessage[]) => {
        if (!messages.length) return;
        cursor = Math.max(cursor, messages.at(-1)!.seq);
        deliver(messages);
      };
      /** Handles one SSE message; answers its event name. */
      const frame = (text: string): string => {
        let event = 'message';
        const data: string[] = [];
        for (const line of text.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (event === 'messages') take((JSON.parse(data.join('\n')) as { messages: ChatMessage[] }).messages);
        return event;
      };
      const connect = async () => {
        if (stopped) return;
        abort = new AbortController();
        let ready = false;
        try {
          const res = await api.events(cursor, abort.signal);
          if (!res.body || typeof TextDecoderStream === 'undefined') throw new Error('no streaming here');
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buffer += value.replace(/\r\n?/g, '\n');
            let at: number;
            while ((at = buffer.indexOf('\n\n')) >= 0) {
              if (frame(buffer.slice(0, at)) === 'ready') {
                ready = true;
                failures = 0;
              }
              buffer = buffer.slice(at + 2);
            }
          }
        } catch (e) {
          if (stopped) return;
          // The token is no longer known: the element starts over; nothing to retry.
          if (e instanceof ApiError && e.status === 401) return fail(e);
        }
        if (stopped) return;
        if (!ready) failures++;
        if (failures >= 2) {
          stopFallback = fallback.start(cursor, take, fail);
          return;
        }
        timer = setTimeout(() => void connect(), 500 + 1000 * failures);
      };
      void connect();
      return () => {
        stopped = true;
        abort?.abort();
        if (timer !== undefined) clearTimeout(timer);
        stopFallback?.();
      };
    },
  };
}
