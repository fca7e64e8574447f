/** Pausing and resuming the AI agent on a conversation: the standing it sets, and the timeline event with who did it. */
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';
import { testApi } from '../support/api.js';

let h: AgentHarness;
afterEach(async () => h?.close());

const CUSTOMER = 'cus_mo000001';

describe('pause and resume the AI on a conversation', () => {
  it('records conversation.ai_paused and conversation.ai_resumed with the person, once per change', async () => {
    h = await agentHarness({ customerId: CUSTOMER });
    await h.write('where is my order?');
    const id = h.conversationId();
    const api = await testApi(h.ctx, 'agent');
    const events = async () =>
      (
        await api.request(
          'GET',
          `/v1/customers/${CUSTOMER}/timeline?types=conversation.ai_paused,conversation.ai_resumed`,
        )
      ).body.events.map((e: { type: string; actor: unknown; data: unknown }) => ({
        type: e.type,
        actor: e.actor,
        data: e.data,
      }));

    const paused = await api.request('POST', `/v1/conversations/${id}/ai/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.paused).toBe(true);
    // Pausing a paused conversation changes nothing and records nothing.
    expect((await api.request('POST', `/v1/conversations/${id}/ai/pause`)).body.paused).toBe(true);
    expect(await events()).toEqual([
      {
        type: 'conversation.ai_paused',
        actor: { kind: 'human', id: 'test-agent' },
        data: { conversationId: id, by: 'test-agent' },
      },
    ]);

    const resumed = await api.request('POST', `/v1/conversations/${id}/ai/resume`);
    expect(resumed.body.paused).toBe(false);
    expect((await api.request('GET', `/v1/conversations/${id}/ai-turns`)).body.paused).toBe(false);
    expect((await events()).map((e: { type: string }) => e.type)).toEqual([
      'conversation.ai_resumed',
      'conversation.ai_paused',
    ]);
  });

  it('a retry with the same idempotency key answers as the first and records one event', async () => {
    h = await agentHarness({ customerId: CUSTOMER });
    await h.write('hello');
    const id = h.conversationId();
    const api = await testApi(h.ctx, 'agent');
    const key = { 'idempotency-key': 'pause-1' };
    const first = await api.request('POST', `/v1/conversations/${id}/ai/pause`, undefined, key);
    await api.request('POST', `/v1/conversations/${id}/ai/resume`);
    const retry = await api.request('POST', `/v1/conversations/${id}/ai/pause`, undefined, key);
    expect(retry).toEqual(first);
    const types = (
      await api.request(
        'GET',
        `/v1/customers/${CUSTOMER}/timeline?types=conversation.ai_paused,conversation.ai_resumed`,
      )
    ).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['conversation.ai_resumed', 'conversation.ai_paused']);
    // The stored answer is the first one's; the standing is what the last change set.
    expect((await api.request('GET', `/v1/conversations/${id}/ai-turns`)).body.paused).toBe(false);
  });

  it('an unknown conversation is a 404 and a viewer may not pause; neither records anything', async () => {
    h = await agentHarness({ customerId: CUSTOMER });
    await h.write('hello');
    const api = await testApi(h.ctx, 'agent');
    expect((await api.request('POST', '/v1/conversations/cnv_nope/ai/pause')).status).toBe(404);
    const viewer = await api.as('viewer');
    expect((await viewer.request('POST', `/v1/conversations/${h.conversationId()}/ai/pause`)).status).toBe(403);
    expect((await api.request('GET', `/v1/conversations/${h.conversationId()}/ai-turns`)).body.paused).toBe(false);
    const types = (
      await api.request(
        'GET',
        `/v1/customers/${CUSTOMER}/timeline?types=conversation.ai_paused,conversation.ai_resumed`,
      )
    ).body.events;
    expect(types).toEqual([]);
  });
});
