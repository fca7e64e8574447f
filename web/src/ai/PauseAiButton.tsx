/** Pause AI / Resume AI on one conversation: a turn in flight does nothing more once it is paused. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from '../api/client';
import { queries, refreshAfterWrite } from '../api/queries';

export function PauseAiButton({ conversationId, paused }: { conversationId: string; paused: boolean }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const init = { params: { path: { id: conversationId } }, headers: { 'idempotency-key': newKey() } };
      const answer = await ok(
        paused
          ? client.POST('/v1/conversations/{id}/ai/resume', init)
          : client.POST('/v1/conversations/{id}/ai/pause', init),
      );
      queryClient.setQueryData(queries.aiTurns(conversationId).queryKey, answer);
      // The timeline has a new event; the rest is refreshed behind it.
      void refreshAfterWrite(queryClient);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" disabled={busy} onClick={() => void toggle()}>
        {paused ? 'Resume AI' : 'Pause AI'}
      </button>
      {error && (
        <p className="refusal" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
