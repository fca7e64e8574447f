/**
 * The current step of a guided run as a form: an answer of the step's type, the evidence fields of a manual
 * step, or the dry-run preview of a write tool with a Confirm. Submits to POST /v1/sop-runs/:id/steps/:stepId.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, client, ok } from '../api/client';
import { queries } from '../api/queries';
import { described, type CurrentStep, type EvidenceFieldView, type ProseSopRun, type SopRunView } from '../api/types';
import { ActionPreview } from '../actions/ActionPreview';
import { confirmLabel, NEXT_STEP } from '../actions/labels';
import { forPeople } from '../actions/refusal';
import { humanize } from '../schema';
import { CustomerPicker, OrderPicker, PaymentMethodPicker, ProductPicker, VariantPicker } from '../pickers';
import { Instructions } from './Instructions';

export function StepForm({
  run,
  step,
  onSubmitted,
}: {
  run: SopRunView;
  step: CurrentStep;
  onSubmitted: (r: SopRunView) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Each step is a new form: keyboard and screen-reader users land on its title, not at the top of the page.
  useEffect(() => heading.current?.focus(), []);

  async function submit(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      onSubmitted(
        described<ProseSopRun>()(
          await ok(
            client.POST('/v1/sop-runs/{id}/steps/{stepId}', {
              params: { path: { id: run.id, stepId: step.stepId } },
              body,
            }),
          ),
        ),
      );
    } catch (e) {
      setError(e instanceof ApiError ? readable(e, step) : 'The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="sop-step" aria-label="What you do now">
      <p className="eyebrow">What you do now</p>
      <h4 ref={heading} tabIndex={-1}>
        {step.title}
      </h4>
      {step.instructions && <Instructions text={step.instructions} />}
      {step.needs === 'answer' && step.form && (
        <AnswerForm run={run} step={step} busy={busy} onAnswer={(answer) => void submit({ answer })} />
      )}
      {step.needs === 'evidence' && (
        <EvidenceForm step={step} busy={busy} onEvidence={(evidence) => void submit({ evidence })} />
      )}
      {step.needs === 'confirm' && step.tool && (
        <ConfirmTool step={step} busy={busy} onConfirm={() => void submit({ confirm: true })} />
      )}
      {step.needs === 'event' && step.wait && (
        <p role="status">
          Waiting for <code>{step.wait.event}</code>
          {step.wait.when ? ` where ${step.wait.when}` : ''}. The run continues by itself when it happens
          {step.wait.until ? `, or takes its timeout path after ${new Date(step.wait.until).toLocaleString()}` : ''}.
          {step.wait.otherEvents?.map((o) => (
            <span key={`${o.event} ${o.when ?? ''}`}>
              {' '}
              On <code>{o.event}</code>
              {o.when ? ` where ${o.when}` : ''} it {whereItLeads(o)}.
            </span>
          ))}
        </p>
      )}
      {error && (
        <p className="refusal" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * A refusal in an agent's words: evidence refused field by field, each named by the label the procedure gives it
 * (not `evidence.esgNumber: …` and a reason code); anything else with its reason.
 */
function readable(e: ApiError, step: CurrentStep): string {
  const fields = e.fields.filter((f) => f.path.startsWith('evidence.'));
  if (fields.length === 0) return `${e.message}${e.reason ? ` (${e.reason})` : ''}`;
  return fields
    .map((f) => {
      const field = step.evidence?.find((x) => `evidence.${x.name}` === f.path);
      const label = field ? (field.label ?? humanize(field.name)) : null;
      return label && !f.message.includes(label) ? `${label}: ${f.message}` : f.message;
    })
    .join(' ');
}

/** The order an items answer is about: the run's order input, else the one chosen here. */
function useOrder(ref: string | null) {
  const order = useQuery({ ...queries.order(ref ?? ''), enabled: !!ref });
  return ref && order.data ? order.data : null;
}

function AnswerForm({
  run,
  step,
  busy,
  onAnswer,
}: {
  run: SopRunView;
  step: CurrentStep;
  busy: boolean;
  onAnswer: (a: unknown) => void;
}) {
  const form = step.form!;
  const id = `sop-${run.id}-${step.stepId}`;
  const label = step.prompt ?? humanize(form.input);
  const [value, setValue] = useState('');
  const [qty, setQty] = useState<Record<string, number>>({});
  const knownOrder =
    typeof run.inputs.order === 'string'
      ? run.inputs.order
      : typeof run.inputs.orderId === 'string'
        ? run.inputs.orderId
        : null;
  const [orderRef, setOrderRef] = useState<string>(knownOrder ?? '');
  const order = useOrder(form.type === 'items' || form.type === 'item' ? orderRef || null : null);

  if (form.type === 'boolean') {
    return (
      <div className="form-actions" role="group" aria-label={label}>
        <span>{label}</span>
        <button type="button" disabled={busy} onClick={() => onAnswer(true)}>
          Yes
        </button>
        <button type="button" disabled={busy} onClick={() => onAnswer(false)}>
          No
        </button>
      </div>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.type === 'items')
      onAnswer(
        Object.entries(qty)
          .filter(([, q]) => q > 0)
          .map(([itemId, quantity]) => ({ itemId, quantity })),
      );
    else if (form.type === 'number') onAnswer(Number(value));
    else onAnswer(value);
  }

  const orderPicker = (form.type === 'items' || form.type === 'item') && (
    <div className="field">
      <label htmlFor={`${id}-order`}>Order</label>
      <OrderPicker id={`${id}-order`} value={orderRef} onChange={setOrderRef} customerId={run.customerId} />
    </div>
  );

  return (
    <form onSubmit={submit}>
      {orderPicker}
      {form.type === 'items' ? (
        <fieldset>
          <legend>{label}</legend>
          {order?.lines.map((l) => (
            <div key={l.id} className="item-row">
              <label htmlFor={`${id}-${l.id}`}>
                {l.title} <span className="muted">(of {l.quantity})</span>
              </label>
              <input
                id={`${id}-${l.id}`}
                type="number"
                min={0}
                max={l.quantity}
                value={qty[l.id] ?? 0}
                onChange={(e) =>
                  setQty((q) => ({ ...q, [l.id]: Math.max(0, Math.min(l.quantity, Number(e.target.value))) }))
                }
              />
            </div>
          ))}
          {!order && <p className="muted small">Enter the order to list its items.</p>}
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          {form.type === 'enum' && form.options ? (
            <select id={id} required value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose…</option>
              {form.options.map((o) => (
                <option key={o} value={o}>
                  {humanize(o)}
                </option>
              ))}
            </select>
          ) : form.type === 'item' ? (
            <select id={id} required value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose an item…</option>
              {order?.lines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.title}
                </option>
              ))}
            </select>
          ) : form.type === 'text' ? (
            <textarea id={id} required value={value} onChange={(e) => setValue(e.target.value)} />
          ) : form.type === 'order' ? (
            <OrderPicker id={id} value={value} onChange={setValue} customerId={run.customerId} />
          ) : form.type === 'product' ? (
            <ProductPicker id={id} value={value} onChange={setValue} />
          ) : form.type === 'variant' ? (
            <VariantPicker id={id} value={value} onChange={setValue} productId={form.productId} />
          ) : form.type === 'paymentMethod' ? (
            <PaymentMethodPicker id={id} value={value} onChange={setValue} customerId={run.customerId} />
          ) : form.type === 'customer' ? (
            <CustomerPicker id={id} value={value} onChange={setValue} />
          ) : (
            <input
              id={id}
              required
              value={value}
              type={form.type === 'email' ? 'email' : form.type === 'number' ? 'number' : 'text'}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Submit answer
        </button>
      </div>
    </form>
  );
}

function EvidenceForm({
  step,
  busy,
  onEvidence,
}: {
  step: CurrentStep;
  busy: boolean;
  onEvidence: (e: Record<string, unknown>) => void;
}) {
  const fields = step.evidence ?? [];
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const fieldValue = (f: EvidenceFieldView): unknown => {
    const v = values[f.name];
    if (f.type === 'boolean' || f.type === 'confirmed') return v === true;
    if (f.type === 'number') return v === undefined || v === '' ? undefined : Number(v);
    return v ?? '';
  };
  return (
    <form
      aria-label={`Evidence for ${step.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        onEvidence(Object.fromEntries(fields.map((f) => [f.name, fieldValue(f)])));
      }}
    >
      {step.system && (
        <p>
          Do this in <strong>{step.system}</strong>, then record what you did:
        </p>
      )}
      {step.hints && step.hints.length > 0 && (
        <ul className="hints" aria-label="Hints">
          {step.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      )}
      {fields.map((f) => {
        const id = `ev-${step.stepId}-${f.name}`;
        const label = f.label ?? humanize(f.name);
        const check = f.type === 'boolean' || f.type === 'confirmed';
        return (
          <div key={f.name} className={check ? 'field check' : 'field'}>
            {check ? (
              <label>
                <input
                  id={id}
                  type="checkbox"
                  required={f.type === 'confirmed'}
                  checked={values[f.name] === true}
                  onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.checked }))}
                />{' '}
                {label}
              </label>
            ) : (
              <>
                <label htmlFor={id} className="required">
                  {label}
                </label>
                <input
                  id={id}
                  required
                  type={f.type === 'email' ? 'email' : f.type === 'number' ? 'number' : 'text'}
                  pattern={f.pattern}
                  placeholder={f.example}
                  title={f.example ? `Such as ${f.example}` : undefined}
                  value={String(values[f.name] ?? '')}
                  aria-describedby={f.example ? `${id}-hint` : undefined}
                  onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                />
                {f.example && (
                  <span id={`${id}-hint`} className="muted small">
                    For example <kbd>{f.example}</kbd>
                  </span>
                )}
              </>
            )}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Record evidence
        </button>
      </div>
    </form>
  );
}

function ConfirmTool({ step, busy, onConfirm }: { step: CurrentStep; busy: boolean; onConfirm: () => void }) {
  const t = step.tool!;
  const inner =
    t.preview && typeof t.preview === 'object' && 'preview' in t.preview
      ? (t.preview as { preview: unknown }).preview
      : t.preview;
  // The runner follows a step's onRefused for a rule's refusal or something not found (step-kinds.ts).
  const followed =
    !!t.previewError && !!t.followsRefusal && ['not_eligible', 'not_found'].includes(t.previewError.code);
  return (
    <div>
      <p>
        Runs <strong>{t.title}</strong>
        {t.destructive ? ', which cannot be undone' : ''}.
      </p>
      {t.previewError ? (
        // A preview the rules refuse offers no Confirm: what the agent can do instead, when there is something — or,
        // when the procedure says where such a refusal goes, the way on along it.
        <div className="refusal" role="alert">
          <strong>The rules refuse this step:</strong> {forPeople(t.previewError.message)}
          {followed ? (
            <p className="next-step">The procedure says what to do next: nothing is changed by going on.</p>
          ) : (
            t.previewError.reason &&
            NEXT_STEP[t.previewError.reason] && <p className="next-step">{NEXT_STEP[t.previewError.reason]}</p>
          )}
        </div>
      ) : inner !== undefined ? (
        <div className="preview" role="region" aria-label="Preview">
          <h5>Preview — nothing has changed yet</h5>
          <ActionPreview tool={t.name} preview={inner} currency="USD" />
        </div>
      ) : null}
      {(!t.previewError || followed) && (
        <div className="form-actions">
          <button type="button" className="primary" disabled={busy} onClick={onConfirm}>
            {followed ? 'Go on with the procedure' : confirmLabel(t.name)}
          </button>
        </div>
      )}
    </div>
  );
}

/** Where a wait's other event leads, in words. */
function whereItLeads(o: { leadsTo: 'handoff' | 'goto' | 'end'; goto?: string }): string {
  if (o.leadsTo === 'handoff')
    return o.goto ? `hands over to a person and goes on at ${o.goto}` : 'hands over to a person';
  return o.leadsTo === 'goto' ? `goes on at ${o.goto}` : 'ends';
}
