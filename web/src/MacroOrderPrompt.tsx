/**
 * A macro names something the conversation does not know ({{order.name}} with no linked order): instead of a
 * sentence with a hole, ask which order (the customer's own, newest first); any other missing value is said plainly.
 */
import { useQuery } from '@tanstack/react-query';
import { queries } from './api/queries';

export interface MacroNeed {
  macroId: string;
  name: string;
  /** Placeholders without a value, e.g. order.name. */
  missing: string[];
}

export function MacroOrderPrompt({
  need,
  customerId,
  onChoose,
  onCancel,
}: {
  need: MacroNeed;
  customerId: string;
  onChoose: (orderId: string) => void;
  onCancel: () => void;
}) {
  const asksOrder = need.missing.some((p) => p.startsWith('order.'));
  const orders = useQuery({ ...queries.customerOrders(customerId, 0, 20), enabled: asksOrder }).data?.orders ?? [];
  const other = need.missing.filter((p) => !p.startsWith('order.'));
  return (
    <div className="macro-need" role="group" aria-label={`${need.name} needs more`}>
      {asksOrder ? (
        <label>
          “{need.name}” names an order. Which order is it about?{' '}
          <select value="" onChange={(e) => e.target.value && onChoose(e.target.value)}>
            <option value="">Choose an order…</option>
            {orders.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {other.length > 0 && (
        <p>
          “{need.name}” needs {other.map((p) => `{{${p}}}`).join(', ')}, which this conversation does not have; write
          the reply yourself.
        </p>
      )}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
