/**
 * The widget's calls to sopdesk's public widget API (/widget/v1, docs/chat-widget.md), and where replies come from.
 * Replies reach the widget through a `ReplyFeed`: today `pollingFeed` asks every few seconds; a feed over server-sent
 * events is another implementation of the same interface, so the element does not change.
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
