/**
 * An order's returns and exchanges on its card, each with its state and its next steps as buttons: a return is
 * approved or declined, marked picked up, received, then refunded (or canceled before pickup); an exchange is
 * completed or canceled. Each step is previewed (the tool with dryRun) and confirmed with one Idempotency-Key.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { callTool, newKey } from '../api/client';
import type { ExchangeView, Order, ReturnView } from '../api/types';
import { formatDate, formatMoney } from '../shared';
import { ActionPreview } from './ActionPreview';
import { approvalSent } from './labels';
import { forPeople, refusalOf, type Refusal } from './refusal';
import { tone } from '../ui/status';

type ReturnStep = ReturnView['status'];

interface Step {
  /** The button. */
  label: string;
  tool: string;
  /** The confirm button, in an agent's words. */
  confirm: string;
  /** A reason the agent types: required (decline), optional (cancel) or none. */
  reason?: 'required' | 'optional';
  args: (reason: string) => Record<string, unknown>;
}

function returnStep(r: ReturnView, to: ReturnStep): Step | null {
  const id = { returnId: r.id };
  const withReason = (reason: string) => (reason ? { ...id, reason } : id);
  switch (to) {
    case 'approved':
      return { label: 'Approve', tool: 'approve_return', confirm: 'Approve the return', args: () => id };
    case 'declined':
      return {
        label: 'Decline',
        tool: 'decline_return',
        confirm: 'Decline the return',
        reason: 'required',
        args: withReason,
      };
    case 'canceled':
      return {
        label: 'Cancel return',
        tool: 'cancel_return',
        confirm: 'Cancel the return',
        reason: 'optional',
        args: withReason,
      };
    case 'picked_up':
      return { label: 'Mark picked up', tool: 'mark_return_picked_up', confirm: 'Mark picked up', args: () => id };
    case 'received':
      return { label: 'Mark received', tool: 'receive_return', confirm: 'Mark received', args: () => id };
    case 'refunded':
      return {
        // What the refund's preview refunds (on a Kogan order, shipping with the last lines), not only the items.
        label: `Refund ${r.refundAmountFormatted}`,
        tool: 'refund_order',
        confirm: `Refund ${r.refundAmountFormatted}`,
        args: () => ({ orderId: r.orderId, returnId: r.id, reason: `Return ${r.trackingId} received` }),
      };
    default:
      return null;
  }
}

function exchangeStep(x: ExchangeView, to: 'completed' | 'canceled'): Step {
  return to === 'completed'
    ? {
        label: 'Mark completed',
        tool: 'set_exchange_status',
        confirm: 'Mark the exchange completed',
        args: () => ({ exchangeId: x.id, status: 'completed' }),
      }
    : {
        label: 'Cancel exchange',
        tool: 'set_exchange_status',
        confirm: 'Cancel the exchange',
        reason: 'optional',
        args: (reason) => ({ exchangeId: x.id, status: 'canceled', ...(reason ? { reason } : {}) }),
      };
}

export function OrderReturns({
  order,
  returns,
  exchanges,
  canAct,
  onDone,
}: {
  order: Order;
  returns: ReturnView[];
  exchanges: ExchangeView[];
  canAct: boolean;
  onDone: () => void;
}) {
  if (returns.length === 0 && exchanges.length === 0) return null;
  return (
    <section className="order-returns" aria-label={`Returns and exchanges of order ${order.name}`}>
      {returns.length > 0 && (
        <>
          <h4>Returns</h4>
          <ul>
            {returns.map((r) => (
              <ReturnRow key={r.id} r={r} canAct={canAct} onDone={onDone} />
            ))}
          </ul>
        </>
      )}
      {exchanges.length > 0 && (
        <>
          <h4>Exchanges</h4>
          <ul>
            {exchanges.map((x) => (
              <ExchangeRow key={x.id} x={x} canAct={canAct} onDone={onDone} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A return with its state and its next steps; `withOrder` names its order (in a list of many orders' returns). */
export function ReturnRow({
  r,
  canAct,
  withOrder = false,
  onDone,
}: {
  r: ReturnView;
  canAct: boolean;
  withOrder?: boolean;
  onDone: () => void;
}) {
  const steps = r.nextSteps.flatMap((to) => {
    const s = returnStep(r, to as ReturnStep);
    return s ? [s] : [];
  });
  return (
    <li className={`return r-${r.status}`}>
      <div>
        <strong>{r.trackingId}</strong>
        {withOrder ? ` · order ${r.orderName}` : ''}{' '}
        <span className={`label ret-${r.status}`} data-tone={tone('return', r.status)}>
          {r.statusLabel}
        </span>
      </div>
      <div className="muted small">
        {r.items.map((i) => `${i.quantity} × ${i.title}`).join(', ')} · {r.itemCostFormatted} ·{' '}
        {humanizeReason(r.reason)} · requested {formatDate(r.requestedAt)}
        {r.closeReason ? ` · ${r.closeReason}` : ''}
      </div>
      <Steps steps={steps} what={`return ${r.trackingId}`} currency={r.currency} canAct={canAct} onDone={onDone} />
    </li>
  );
}

function ExchangeRow({ x, canAct, onDone }: { x: ExchangeView; canAct: boolean; onDone: () => void }) {
  const money = (n: number) => formatMoney(n, x.currency);
  return (
    <li className={`exchange x-${x.status}`}>
      <div>
        <strong>Exchange</strong>{' '}
        <span className={`label exc-${x.status}`} data-tone={tone('exchange', x.status)}>
          {x.statusLabel}
        </span>
      </div>
      <div className="muted small">
        {x.items.map((i) => `${i.quantity} × ${i.fromSku} → ${i.toSku}`).join(', ')}
        {x.priceDifference > 0
          ? ` · ${money(x.priceDifference)} charged`
          : x.priceDifference < 0
            ? ` · ${money(-x.priceDifference)} refunded`
            : ''}{' '}
        · {formatDate(x.createdAt)}
      </div>
      <Steps
        steps={x.nextSteps.map((to) => exchangeStep(x, to))}
        what={`exchange of ${x.items.map((i) => i.title).join(', ')}`}
        currency={x.currency}
        canAct={canAct}
        onDone={onDone}
      />
    </li>
  );
}

const humanizeReason = (reason: string) => reason.charAt(0) + reason.slice(1).toLowerCase().replace(/_/g, ' ');

/** The next steps of a return or an exchange as buttons; the one clicked opens its panel. */
function Steps({
  steps,
  what,
  currency,
  canAct,
  onDone,
}: {
  steps: Step[];
  what: string;
  currency: string;
  canAct: boolean;
  onDone: () => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  if (!canAct || steps.length === 0) return null;
  const s = steps.find((x) => x.label === open);
  return (
    <>
      <div className="step-buttons">
        {steps.map((x) => (
          <button
            key={x.label}
            type="button"
            aria-expanded={open === x.label}
            aria-label={`${x.label} — ${what}`}
            onClick={() => setOpen(open === x.label ? null : x.label)}
          >
            {x.label}
          </button>
        ))}
      </div>
      {s && (
        <StepPanel
          key={s.label}
          step={s}
          what={what}
          currency={currency}
          onClose={() => setOpen(null)}
          onDone={onDone}
        />
      )}
    </>
  );
}

/** One step: its reason (if it takes one), the preview of the tool's dry run, then Confirm. */
function StepPanel({
  step,
  what,
  currency,
  onClose,
  onDone,
}: {
  step: Step;
  what: string;
  currency: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<unknown>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const key = useMemo(() => newKey(), []);

  async function doPreview(e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const r = (await callTool(step.tool, { ...step.args(reason.trim()), dryRun: true })) as { preview?: unknown };
      setPreview(r?.preview ?? r);
    } catch (err) {
      setRefusal(refusalOf(err));
      setPreview(null);
    } finally {
      setBusy(false);
    }
  }
  async function confirm() {
    setBusy(true);
    try {
      setDone(approvalSent(await callTool(step.tool, step.args(reason.trim()), key)) ?? 'Done.');
      onDone();
    } catch (err) {
      setRefusal(refusalOf(err));
    } finally {
      setBusy(false);
    }
  }
  // A step without a reason to type is previewed as soon as it is opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel opens
  useEffect(() => {
    if (!step.reason) void doPreview();
  }, []);

  const summary =
    preview && typeof preview === 'object' && 'summary' in preview && typeof preview.summary === 'string'
      ? preview.summary
      : null;
  return (
    <form className="step-panel" aria-label={`${step.label} — ${what}`} onSubmit={(e) => void doPreview(e)}>
      {step.reason && (
        <div className="field">
          <label htmlFor={`reason-${key}`} className={step.reason === 'required' ? 'required' : undefined}>
            {step.reason === 'required' ? 'Reason (told to the customer)' : 'Reason (optional)'}
          </label>
          <input
            id={`reason-${key}`}
            value={reason}
            required={step.reason === 'required'}
            minLength={step.reason === 'required' ? 3 : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setPreview(null);
            }}
          />
        </div>
      )}
      {refusal && (
        <div className="refusal" role="alert">
          <strong>Not possible:</strong> {forPeople(refusal.message)}
        </div>
      )}
      {preview !== null && !refusal && (
        <div className="preview" role="region" aria-label="Preview">
          {step.tool === 'refund_order' ? (
            <ActionPreview tool={step.tool} preview={preview} currency={currency} />
          ) : (
            <p className="summary">{summary ?? `${step.confirm}.`}</p>
          )}
        </div>
      )}
      {done ? (
        <p role="status">{done}</p>
      ) : (
        <div className="form-actions">
          {step.reason && (
            <button type="submit" disabled={busy}>
              Preview
            </button>
          )}
          {preview !== null && !refusal && (
            <button type="button" className="primary" disabled={busy} onClick={() => void confirm()}>
              {step.confirm}
            </button>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </form>
  );
}
