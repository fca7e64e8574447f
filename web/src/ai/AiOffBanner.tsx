/** In the inbox while the server runs without a model: the AI agent is off, and what to set to turn it on. */
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries';

export function AiOffBanner() {
  const status = useQuery(queries.aiStatus()).data;
  if (!status || status.enabled) return null;
  return (
    <p className="ai-off small" role="note">
      <strong>The AI agent is off.</strong> {status.howToEnable}
    </p>
  );
}
