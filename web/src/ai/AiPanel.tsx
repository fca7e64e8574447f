/**
 * The AI agent on a conversation: whether it is paused here (with Pause AI / Resume AI) and "Why did the AI do
 * this?" — its turns and their traces. Shown when the AI is on or has acted here; nothing otherwise.
 */
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries';
import type { Me } from '../api/types';
import { AiTrace } from './AiTrace';
import { PauseAiButton } from './PauseAiButton';
import { Disclosure } from '../ui/Disclosure';

export function AiPanel({ conversationId, me }: { conversationId: string; me: Me }) {
  const status = useQuery(queries.aiStatus());
  // Refetched by the live events of the conversation: what a turn does (a reply, a handoff) is an event there.
  const turns = useQuery(queries.aiTurns(conversationId));
  const data = turns.data;
  if (!data) return null;
  const enabled = status.data?.enabled ?? false;
  if (!enabled && data.turns.length === 0 && !data.paused) return null;
  const writable = me.role !== 'viewer';
  return (
    <section className="ai-panel" aria-label="AI agent">
      <header>
        <h3>AI agent</h3>
        <span className={data.paused ? 'label run-waiting' : 'label'}>
          {data.paused ? 'Paused here' : enabled ? 'On' : 'Off on this server'}
        </span>
        {writable && <PauseAiButton conversationId={conversationId} paused={data.paused} />}
      </header>
      <Disclosure className="ai-why" summary="Why did the AI do this?">
        <AiTrace turns={data.turns} />
      </Disclosure>
    </section>
  );
}
