/**
 * Order actions. What the rules allow is one read, GET /v1/orders/{id}/actions: each action allowed, or refused with
 * why in an agent's words and, when there is one, what to do instead (a delivered order is returned, not canceled).
 * A refused action stays a button, marked unavailable: its reason is a tooltip on hover and on keyboard focus (Radix
 * Tooltip), the button's description for a screen reader, and one click away; never a wall of refusals. An allowed one opens its form, built from the tool's schema (GET /v1/tools/{name}, read when the form first opens;
 * the buttons need only the short list, GET /v1/tools/summary); a missing tool is unavailable on this server. Below the buttons, the order's returns and exchanges with their next steps.
 */
import { type ComponentProps, lazy, Suspense, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { queries } from './api/queries';
import type { ActionAvailability, Order, ToolSummary } from './api/types';
import { OrderReturns } from './actions/OrderReturns';
import * as Tooltip from '@radix-ui/react-tooltip';
import { ArrowLeftRight, Ban, type LucideIcon, PackageOpen, Replace, Undo2 } from 'lucide-react';

// An action's form (built from the tool's schema, with its pickers) loads when an action is first opened.
const ActionForm = lazy(() => import('./actions/ActionForm').then((m) => ({ default: m.ActionForm })));

type ActionName = ActionAvailability['action'];

export const ACTIONS: readonly {
  action: ActionName;
  label: string;
  tool: string;
  confirm: string;
  instead: string;
  icon: LucideIcon;
  /** Money leaves or the order ends: its confirm button is the danger kind. */
  danger?: boolean;
}[] = [
  {
    action: 'cancel',
    label: 'Cancel',
    tool: 'cancel_order',
    confirm: 'Confirm cancellation',
    instead: 'Cancel instead',
    icon: Ban,
    danger: true,
  },
  {
    action: 'refund',
    label: 'Refund',
    tool: 'refund_order',
    confirm: 'Confirm refund',
    instead: 'Refund instead',
    icon: Undo2,
    danger: true,
  },
  {
    action: 'return',
    label: 'Return',
    tool: 'initiate_return',
    confirm: 'Start the return',
    instead: 'Start a return',
    icon: PackageOpen,
  },
  {
    action: 'exchange',
    label: 'Exchange',
    tool: 'exchange_items',
    confirm: 'Confirm exchange',
    instead: 'Exchange instead',
    icon: ArrowLeftRight,
  },
  {
    action: 'swap',
    label: 'Swap product',
    tool: 'swap_purchased_product',
    confirm: 'Confirm swap',
    instead: 'Swap instead',
    icon: Replace,
  },
];

export function OrderActions({
  order,
  tools,
  canAct = true,
  onDone,
}: {
  order: Order;
  tools: Map<string, ToolSummary> | null;
  /** False for a viewer: the returns and exchanges are shown, without buttons. */
  canAct?: boolean;
  onDone: () => void;
}) {
  const [open, setOpen] = useState<ActionName | null>(null);
  // The refused action whose reason is shown (clicked); hovering or focusing it shows the reason as a tooltip.
  const [explained, setExplained] = useState<ActionName | null>(null);
  const [tip, setTip] = useState<ActionName | null>(null);
  const availability = useQuery(queries.orderActions(order.id));
  const of = (a: ActionName) => availability.data?.actions.find((x) => x.action === a);

  const unavailable = (a: (typeof ACTIONS)[number]): string | null => {
    if (tools && !tools.has(a.tool)) return 'Not available on this server.';
    const v = of(a.action);
    return v && !v.allowed ? (v.why ?? 'Not allowed on this order now.') : null;
  };
  const shown = explained ? ACTIONS.find((a) => a.action === explained) : undefined;
  const shownWhy = shown ? unavailable(shown) : null;
  const next = shown ? of(shown.action)?.next : null;
  const nextAction = next ? ACTIONS.find((a) => a.action === next) : undefined;
  const openTool = open ? ACTIONS.find((a) => a.action === open) : undefined;

  return (
    <section
      className="actions"
      aria-label={`Actions on order ${order.name}`}
      // Marks the card whose rules have answered (the browser bench waits for every shown card).
      data-ready={availability.data ? true : undefined}
    >
      {canAct && tools && (
        <Tooltip.Provider delayDuration={300}>
          <div className="action-buttons">
            {ACTIONS.map((a) => {
              const why = unavailable(a);
              const checking = !availability.data && !availability.isError;
              return (
                <Tooltip.Root
                  key={a.action}
                  open={!!why && tip === a.action}
                  onOpenChange={(show) => setTip(show ? a.action : null)}
                >
                  {/* The tooltip hangs on the wrapper, so the button's description stays the one sentence below. */}
                  <Tooltip.Trigger asChild>
                    <span className="action">
                      <button
                        type="button"
                        className={why ? 'unavailable' : undefined}
                        // Focusable and clickable (aria-disabled, not disabled): a hover, the focus or a click tells why.
                        aria-disabled={why || checking ? true : undefined}
                        aria-expanded={why ? explained === a.action : open === a.action}
                        aria-describedby={why ? `why-${order.id}-${a.action}` : undefined}
                        onClick={() => {
                          if (checking) return;
                          if (why) setExplained(explained === a.action ? null : a.action);
                          else {
                            setExplained(null);
                            setOpen(open === a.action ? null : a.action);
                          }
                        }}
                      >
                        <a.icon size={14} aria-hidden />
                        {a.label}
                      </button>
                      {why && (
                        <span id={`why-${order.id}-${a.action}`} className="sr-only">
                          {`Unavailable: ${why}`}
                        </span>
                      )}
                    </span>
                  </Tooltip.Trigger>
                  {why && (
                    <Tooltip.Portal>
                      <Tooltip.Content className="tooltip" side="top" sideOffset={4} collisionPadding={8}>
                        {why}
                        <Tooltip.Arrow className="tooltip-arrow" />
                      </Tooltip.Content>
                    </Tooltip.Portal>
                  )}
                </Tooltip.Root>
              );
            })}
          </div>
        </Tooltip.Provider>
      )}
      {canAct && shown && shownWhy && (
        <p className="why" role="note">
          <strong>{shown.label}:</strong> {shownWhy}{' '}
          {nextAction && tools?.has(nextAction.tool) && (
            <button
              type="button"
              className="link"
              onClick={() => {
                setExplained(null);
                setOpen(nextAction.action);
              }}
            >
              {nextAction.instead}
            </button>
          )}
        </p>
      )}
      {canAct && openTool && tools?.has(openTool.tool) && (
        <Suspense
          fallback={
            <p className="muted" role="status">
              Loading…
            </p>
          }
        >
          <ToolForm
            key={openTool.action}
            tool={openTool.tool}
            label={openTool.label}
            confirmLabel={openTool.confirm}
            danger={openTool.danger ?? false}
            order={order}
            // A rule refused what was entered: ask the rules about the order again (the facts may have moved on).
            onRefused={() => void availability.refetch()}
            onClose={() => setOpen(null)}
            onDone={onDone}
          />
        </Suspense>
      )}
      {availability.data && (
        <OrderReturns
          order={order}
          returns={availability.data.returns}
          exchanges={availability.data.exchanges}
          canAct={canAct}
          onDone={onDone}
        />
      )}
    </section>
  );
}

/** An action's form, once its tool's schemas have been read (GET /v1/tools/{name}, kept for the page's life). */
function ToolForm({ tool, ...props }: { tool: string } & Omit<ComponentProps<typeof ActionForm>, 'tool'>) {
  const definition = useQuery(queries.tool(tool));
  if (definition.isError)
    return (
      <p className="error" role="alert">
        This action's form could not be loaded. Try again.
      </p>
    );
  if (!definition.data)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  return <ActionForm tool={definition.data} {...props} />;
}
