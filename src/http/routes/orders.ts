import { getOrderActions } from '../../app/orders/get-order-actions.js';
import { getOrderDetails } from '../../app/orders/get-order-details.js';
import { OrderActionsOut } from '../../app/orders/order-actions.schemas.js';
import { OrderViewOut } from '../../app/orders/order-view.schemas.js';
import { defineRoute } from '../define-route.js';

export const ORDER_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/orders/{ref}',
    operationId: 'getOrder',
    summary: 'An order by id (ord_…) or number (%231001 or 1001)',
    tag: 'orders',
    errors: [401, 404],
    ok: { status: 200, description: 'The order', schema: OrderViewOut },
    run: ({ ctx, params }) => getOrderDetails(ctx, { orderId: params.ref }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/orders/{ref}/actions',
    operationId: 'getOrderActions',
    summary:
      'What can be done to an order now: every action allowed or refused (with the rule and words for an agent), its returns and exchanges',
    description:
      'Computed by the same rule functions the actions run, on the same facts, without running any action: cancel, refund (items or shipping without a return), return, exchange and swap (for some item; what the form names is checked by its preview).',
    tag: 'orders',
    ok: {
      status: 200,
      description:
        'Each action with allowed, or the refusal (reason, why, policy, next); the returns and exchanges with their next steps',
      schema: OrderActionsOut,
    },
    run: ({ ctx, params }) => getOrderActions(ctx, { orderId: params.ref }),
  }),
];
