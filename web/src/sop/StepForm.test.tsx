import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CurrentStep, SopRunView } from '../api/types';
import { anOrder } from '../test-fixtures';
import { fakeApi, renderWithQueries } from '../test-support';
import { StepForm } from './StepForm';

function aRun(step: CurrentStep, inputs: Record<string, unknown> = {}): SopRunView {
  return {
    id: 'run_1',
    sopId: 'handling-returns',
    sopVersion: '1',
    title: 'Handling Returns',
    status: 'running',
    customerId: 'cus_1',
    conversationId: null,
    current: step,
    inputs,
    completedSteps: [],
    stepTitles: {},
    evidence: [],
    messages: [],
    notices: [],
    refusals: [],
    compensations: [],
    failure: null,
    handoff: null,
    cancelReason: null,
    updatedAt: '2026-11-20T09:00:00.000Z',
  };
}
const step = (over: Partial<CurrentStep>): CurrentStep => ({
  stepId: 'ask',
  kind: 'ask',
  title: 'Ask the customer',
  instructions: '',
  needs: 'answer',
  allowedTools: [],
  ...over,
});

function show(run: SopRunView) {
  const onSubmitted = vi.fn();
  renderWithQueries(<StepForm run={run} step={run.current!} onSubmitted={onSubmitted} />);
  return { onSubmitted, user: userEvent.setup() };
}

describe('the current step of a guided run', () => {
  it('a wait says what it waits for, and what else ends it and where each leads', () => {
    show(
      aRun(
        step({
          stepId: 'received',
          kind: 'wait',
          title: 'Wait for the return',
          needs: 'event',
          wait: {
            event: 'return.received',
            otherEvents: [
              { event: 'return.declined', when: 'event.data.returnId == "ret_1"', leadsTo: 'handoff' },
              { event: 'return.canceled', leadsTo: 'end' },
            ],
          },
        }),
      ),
    );
    expect(screen.getByRole('status').textContent).toBe(
      'Waiting for return.received. The run continues by itself when it happens. ' +
        'On return.declined where event.data.returnId == "ret_1" it hands over to a person. On return.canceled it ends.',
    );
  });

  it("answers a choice with the option's value, and hands the run the server answers to the view", async () => {
    const next = aRun(step({ stepId: 'next', title: 'Next' }));
    const sent = fakeApi({ 'POST /v1/sop-runs/run_1/steps/ask': { body: next } });
    const run = aRun(
      step({
        prompt: 'Why is it coming back?',
        form: { input: 'reason', type: 'enum', options: ['DAMAGED', 'WRONG_ITEM'] },
      }),
    );
    const { user, onSubmitted } = show(run);
    await user.selectOptions(screen.getByLabelText('Why is it coming back?'), 'Wrong item');
    await user.click(screen.getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalledWith(next));
    expect(sent[0]?.body).toEqual({ answer: 'WRONG_ITEM' });
  });

  it("answers an items question with the quantities of the run's order, looked up by its number", async () => {
    const sent = fakeApi({
      'GET /v1/orders/%231001': { body: anOrder() },
      'POST /v1/sop-runs/run_1/steps/ask': { body: aRun(step({})) },
    });
    const { user, onSubmitted } = show(
      aRun(step({ prompt: 'Which items?', form: { input: 'items', type: 'items' } }), { order: '#1001' }),
    );
    const lamp = await screen.findByLabelText(/Desk lamp — Black/);
    expect(sent.some((s) => s.path === '/v1/orders/%231001')).toBe(true);
    await user.clear(lamp);
    await user.type(lamp, '2');
    await user.click(screen.getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({ answer: [{ itemId: 'li_lamp', quantity: 2 }] });
  });

  it('records evidence with each field in its type: a number as a number, a confirmation as true', async () => {
    const sent = fakeApi({ 'POST /v1/sop-runs/run_1/steps/record': { body: aRun(step({})) } });
    const { user, onSubmitted } = show(
      aRun(
        step({
          stepId: 'record',
          kind: 'manual',
          title: 'Book the pickup',
          needs: 'evidence',
          system: 'the carrier portal',
          evidence: [
            { name: 'bookingRef', type: 'string', pattern: 'BK-\\d+', label: 'Booking reference' },
            { name: 'parcels', type: 'number' },
            { name: 'labelSent', type: 'confirmed', label: 'Label emailed to the customer' },
          ],
        }),
      ),
    );
    expect(screen.getByText('the carrier portal')).toBeTruthy();
    await user.type(screen.getByLabelText('Booking reference'), 'BK-42');
    await user.type(screen.getByLabelText('Parcels'), '2');
    await user.click(screen.getByLabelText('Label emailed to the customer'));
    await user.click(screen.getByRole('button', { name: 'Record evidence' }));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    expect(sent[0]?.body).toEqual({ evidence: { bookingRef: 'BK-42', parcels: 2, labelSent: true } });
  });

  it('shows refused evidence in words, named by its label, not by its path and reason code', async () => {
    fakeApi({
      'POST /v1/sop-runs/run_1/steps/esg': {
        status: 400,
        body: {
          error: {
            code: 'invalid_argument',
            message: 'evidence.esgNumber: "ESG 5823" is not in the form asked for, such as ESG-58231467',
            reason: 'invalid_evidence',
            fields: [
              { path: 'evidence.esgNumber', message: '"ESG 5823" is not in the form asked for, such as ESG-58231467' },
            ],
          },
        },
      },
    });
    const { user, onSubmitted } = show(
      aRun(
        step({
          stepId: 'esg',
          kind: 'manual',
          title: 'Copy the ESG number',
          needs: 'evidence',
          evidence: [{ name: 'esgNumber', type: 'string', label: "Kogan's ESG- order number" }],
        }),
      ),
    );
    await user.type(screen.getByLabelText("Kogan's ESG- order number"), 'ESG 5823');
    await user.click(screen.getByRole('button', { name: 'Record evidence' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Kogan\'s ESG- order number: "ESG 5823" is not in the form asked for, such as ESG-58231467',
      ),
    );
    expect(onSubmitted).not.toHaveBeenCalled();
  });

  it("shows a write tool's dry-run refusal in words, with what to do instead, and offers no Confirm", async () => {
    show(
      aRun(
        step({
          stepId: 'refund',
          kind: 'tool',
          title: 'Refund the items',
          needs: 'confirm',
          tool: {
            name: 'refund_order',
            title: 'Refund an order',
            readOnly: false,
            destructive: true,
            previewError: {
              code: 'not_eligible',
              message: 'LAMP: delivered units must be returned first. Start a return (initiate_return).',
              reason: 'return_required',
            },
          },
        }),
      ),
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The rules refuse this step: LAMP: delivered units must be returned first. Start a return.' +
        'Start a return of the delivered items on the order card (Orders tab); once it is received, refund the return there.',
    );
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
  });

  it("goes on along the procedure's path for a refusal when the step has one (a Kogan refund that needs a return)", async () => {
    const next = aRun(step({ stepId: 'return_reason', title: 'Why is it coming back?' }));
    const sent = fakeApi({ 'POST /v1/sop-runs/run_1/steps/store_refund': { body: next } });
    const { user, onSubmitted } = show(
      aRun(
        step({
          stepId: 'store_refund',
          kind: 'tool',
          title: 'Refund the customer in the store',
          needs: 'confirm',
          tool: {
            name: 'refund_order',
            title: 'Refund an order',
            readOnly: false,
            destructive: true,
            followsRefusal: true,
            previewError: {
              code: 'not_eligible',
              message: 'KG-SHEETS-QUEEN: delivered units must be returned first.',
              reason: 'return_required',
            },
          },
        }),
      ),
    );
    // Not the order card's way round the refusal: the procedure's own next step (it starts the return).
    expect(screen.getByRole('alert').textContent).toBe(
      'The rules refuse this step: KG-SHEETS-QUEEN: delivered units must be returned first.' +
        'The procedure says what to do next: nothing is changed by going on.',
    );
    expect(screen.queryByRole('button', { name: 'Confirm refund' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Go on with the procedure' }));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalledWith(next));
    expect(sent[0]?.body).toEqual({ confirm: true });
  });

  it("confirms an accepted preview with confirm: true, under a button in an agent's words", async () => {
    const sent = fakeApi({
      'POST /v1/sop-runs/run_1/steps/refund': {
        status: 422,
        body: { error: { code: 'not_eligible', message: 'Nothing was captured.', reason: 'order_unpaid' } },
      },
    });
    const { user, onSubmitted } = show(
      aRun(
        step({
          stepId: 'refund',
          kind: 'tool',
          title: 'Refund the items',
          needs: 'confirm',
          tool: {
            name: 'refund_order',
            title: 'Refund an order',
            readOnly: false,
            destructive: true,
            preview: { dryRun: true, preview: { summary: 'Refund $15.00 to Visa •••• 4242.', amount: 1500 } },
          },
        }),
      ),
    );
    expect(screen.getByText(/which cannot be undone/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('refund_order');
    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    await waitFor(() =>
      expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('Nothing was captured. (order_unpaid)'),
    );
    expect(sent[0]?.body).toEqual({ confirm: true });
    expect(onSubmitted).not.toHaveBeenCalled();
  });

  it('suggests products by name or SKU, sends what was picked, and asks again when the server knows no such product', async () => {
    const sent = fakeApi({
      'POST /v1/tools/list_products': {
        body: {
          products: [
            {
              productId: 'prod_br3',
              title: 'SleepCues BoardReview 3.0',
              variants: [
                {
                  variantId: 'var_br3',
                  sku: 'SQBR-3.0',
                  title: 'Online course',
                  price: { amount: 50000, currency: 'USD' },
                  available: true,
                },
              ],
            },
          ],
        },
      },
      'POST /v1/sop-runs/run_1/steps/ask': {
        status: 400,
        body: {
          error: {
            code: 'invalid_argument',
            message: 'productId: no product has the SKU or name "SQBR-9"; check it, or search by name',
            reason: 'invalid_answer',
          },
        },
      },
    });
    const { user, onSubmitted } = show(
      aRun(step({ prompt: 'Which product should it be?', form: { input: 'productId', type: 'product' } })),
    );
    const box = screen.getByLabelText('Which product should it be?');
    await user.type(box, 'BoardRev');
    await waitFor(() =>
      expect([...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toEqual([
        'SQBR-3.0',
      ]),
    );
    expect(document.querySelector('datalist option')?.textContent).toBe(
      'SleepCues BoardReview 3.0 · SQBR-3.0 · $500.00',
    );
    expect(sent.find((s) => s.path.startsWith('/v1/tools/list_products'))?.body).toEqual({
      query: 'BoardRev',
      limit: 8,
    });
    await user.clear(box);
    await user.type(box, 'SQBR-9');
    await user.click(screen.getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('no product has the SKU or name'));
    expect(sent.filter((s) => s.path.startsWith('/v1/sop-runs')).at(-1)?.body).toEqual({ answer: 'SQBR-9' });
    expect(onSubmitted).not.toHaveBeenCalled();
    // The form stays, with what was typed, to be corrected.
    expect((screen.getByLabelText('Which product should it be?') as HTMLInputElement).value).toBe('SQBR-9');
  });

  it("suggests the customer's own orders for an order question", async () => {
    fakeApi({ 'GET /v1/customers/cus_1/orders': { body: { orders: [anOrder()] } } });
    show(aRun(step({ prompt: 'Which order?', form: { input: 'order', type: 'order' } })));
    await waitFor(() =>
      expect([...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toEqual(['#1001']),
    );
    expect(document.querySelector('datalist option')?.textContent).toMatch(/^#1001 · .* · \$/);
  });

  it("lists the chosen product's variants for a variant question, narrowed by what is typed, and sends the SKU", async () => {
    const sent = fakeApi({
      'POST /v1/tools/get_product_details': {
        body: {
          productId: 'prod_tee',
          title: 'Merino Crew T-shirt',
          variants: [
            {
              variantId: 'var_m',
              sku: 'TEE-BLA-M',
              title: 'Black / M',
              price: { amount: 4500, currency: 'USD' },
              available: true,
            },
            {
              variantId: 'var_l',
              sku: 'TEE-BLA-L',
              title: 'Black / L',
              price: { amount: 4500, currency: 'USD' },
              available: false,
            },
            {
              variantId: 'var_n',
              sku: 'TEE-NAV-M',
              title: 'Navy / M',
              price: { amount: 4500, currency: 'USD' },
              available: true,
            },
          ],
        },
      },
      'POST /v1/sop-runs/run_1/steps/ask': { body: aRun(step({ needs: 'nothing' })) },
    });
    const { user, onSubmitted } = show(
      aRun(step({ prompt: 'Which size?', form: { input: 'size', type: 'variant', productId: 'prod_tee' } })),
    );
    const options = () => [...document.querySelectorAll('datalist option')].map((o) => o.textContent);
    await waitFor(() => expect(options()).toHaveLength(3));
    expect(sent.find((s) => s.path === '/v1/tools/get_product_details')?.body).toEqual({ productId: 'prod_tee' });
    await user.type(screen.getByLabelText('Which size?'), 'black');
    await waitFor(() =>
      expect(options()).toEqual([
        'Merino Crew T-shirt — Black / M · $45.00',
        'Merino Crew T-shirt — Black / L · $45.00 · not for sale',
      ]),
    );
    await user.clear(screen.getByLabelText('Which size?'));
    await user.type(screen.getByLabelText('Which size?'), 'TEE-BLA-M');
    await user.click(screen.getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    expect(sent.filter((s) => s.path.startsWith('/v1/sop-runs')).at(-1)?.body).toEqual({ answer: 'TEE-BLA-M' });
  });

  it("suggests the run's customer's payment methods, with balances, and keeps what was typed when it is refused", async () => {
    const sent = fakeApi({
      'GET /v1/customers/cus_1': {
        body: {
          id: 'cus_1',
          name: 'Pat',
          paymentMethods: [
            {
              id: 'pm_visa',
              kind: 'card',
              label: 'Visa •••• 4242',
              brand: 'Visa',
              last4: '4242',
              balance: null,
              currency: null,
            },
            {
              id: 'pm_sc',
              kind: 'store_credit',
              label: 'Store credit',
              brand: null,
              last4: null,
              balance: 1000,
              currency: 'USD',
            },
          ],
        },
      },
      'POST /v1/sop-runs/run_1/steps/ask': {
        status: 400,
        body: {
          error: {
            code: 'invalid_argument',
            message:
              'method: "Amex 1005" is not one of the customer\'s payment methods (Visa •••• 4242, Store credit); pick one',
            reason: 'invalid_answer',
          },
        },
      },
    });
    const { user, onSubmitted } = show(
      aRun(step({ prompt: 'Where should the money go?', form: { input: 'method', type: 'paymentMethod' } })),
    );
    await waitFor(() =>
      expect(
        [...document.querySelectorAll('datalist option')].map((o) => [o.getAttribute('value'), o.textContent]),
      ).toEqual([
        ['Visa •••• 4242', 'Visa •••• 4242'],
        ['Store credit', 'Store credit · $10.00 left'],
      ]),
    );
    const box = screen.getByLabelText('Where should the money go?') as HTMLInputElement;
    await user.type(box, 'Amex 1005');
    await user.click(screen.getByRole('button', { name: 'Submit answer' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('is not one of the customer'));
    expect(sent.filter((s) => s.path.startsWith('/v1/sop-runs')).at(-1)?.body).toEqual({ answer: 'Amex 1005' });
    expect(onSubmitted).not.toHaveBeenCalled();
    expect(box.value).toBe('Amex 1005');
  });
});
