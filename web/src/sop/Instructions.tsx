/**
 * A step's instructions, the SOP's Markdown prose: paragraphs split on blank lines, the source's hard line wraps
 * joined, and `code` spans (tool and field names) shown as code rather than with their backticks.
 */
export function Instructions({ text }: { text: string }) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  return (
    <div className="instructions">
      {paragraphs.map((p, i) => (
        <p key={i}>
          {p
            .split(/(`[^`]+`)/)
            .map((part, j) =>
              part.length > 2 && part.startsWith('`') && part.endsWith('`') ? (
                <code key={j}>{part.slice(1, -1)}</code>
              ) : (
                part
              ),
            )}
        </p>
      ))}
    </div>
  );
}
