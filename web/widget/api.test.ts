import { describe, expect, it } from 'vitest';
import { ApiError, streamFeed, WidgetApi, type ChatMessage, type ReplyFeed } from './api.js';

const message = (seq: number): ChatMessage => ({
  id: `msg_${seq}`,
  seq,
  from: 'support',
  body: `Reply ${seq}`,
  createdAt: '2026-12-06T10:00:00.000Z',
});

/** A stream that sends `frames`, then ends (a dropped connection) or stays open. */
function sse(frames: string[], end: boolean): Response {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const f of frames) c.enqueue(new TextEncoder().encode(`${f}\n\n`));
      if (end) c.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}
const ready = 'event: ready\ndata: {}';
const messages = (...seqs: number[]) =>
  `event: messages\nid: ${seqs.at(-1)}\ndata: ${JSON.stringify({ verified: false, messages: seqs.map(message) })}`;

/** A WidgetApi whose event stream answers `open(after, attempt)`; every other call is the real one. */
function apiWith(open: (after: number, attempt: number) => Promise<Response>) {
  const asked: number[] = [];
  const api = new (class extends WidgetApi {
    override events(after: number): Promise<Response> {
      asked.push(after);
      return open(after, asked.length);
    }
  })('http://desk.test', 'vt_test');
  return { api, asked };
}

/** A polling feed that only records where it was started from. */
function fallbackFeed() {
  const started: number[] = [];
  const feed: ReplyFeed = {
    start(after) {
      started.push(after);
      return () => {};
    },
  };
  return { feed, started };
}

async function until(test: () => boolean, ms = 5000) {
  for (const t0 = Date.now(); !test(); ) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the widget's replies", () => {
  it('come as the stream sends them; a dropped stream is opened again after the last seq seen', async () => {
    const { api, asked } = apiWith(async (_, attempt) =>
      attempt === 1 ? sse([ready, messages(7, 8)], true) : sse([ready, messages(9)], false),
    );
    const { feed, started } = fallbackFeed();
    const delivered: number[] = [];
    const stop = streamFeed(api, feed).start(
      3,
      (ms) => delivered.push(...ms.map((m) => m.seq)),
      (e) => {
        throw e;
      },
    );
    try {
      await until(() => delivered.length === 3);
      expect(asked).toEqual([3, 8]);
      expect(delivered).toEqual([7, 8, 9]);
      expect(started).toEqual([]);
    } finally {
      stop();
    }
  });

  it('are polled for instead, from the last seq seen, once the stream fails twice before it is ready', async () => {
    const { api, asked } = apiWith(async () => {
      throw new TypeError('fetch failed');
    });
    const { feed, started } = fallbackFeed();
    const stop = streamFeed(api, feed).start(
      5,
      () => {},
      (e) => {
        throw e;
      },
    );
    try {
      await until(() => started.length === 1);
      expect(asked).toEqual([5, 5]);
      expect(started).toEqual([5]);
    } finally {
      stop();
    }
  });

  it('stop at an unknown visitor token, which the widget is told of', async () => {
    const { api, asked } = apiWith(async () => {
      throw new ApiError(401, 'unauthorized', 'visitor_token_invalid');
    });
    const { feed, started } = fallbackFeed();
    const failures: unknown[] = [];
    const stop = streamFeed(api, feed).start(
      0,
      () => {},
      (e) => failures.push(e),
    );
    try {
      await until(() => failures.length === 1);
      await new Promise((r) => setTimeout(r, 1700));
      expect(asked).toEqual([0]);
      expect(started).toEqual([]);
      expect((failures[0] as ApiError).reason).toBe('visitor_token_invalid');
    } finally {
      stop();
    }
  });
});
