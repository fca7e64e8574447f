import { getOrderDetails } from '../../app/orders/get-order-details.js';
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
];
