/**
 * Every REST route that is not a tool, by family: src/http/app.ts mounts them (the public ones before the token check)
 * and src/http/openapi.ts documents them.
 */
import type { Route } from '../define-route.js';
import { TOOL_ROUTES } from '../tools.js';
import { AI_ROUTES } from './ai.js';
import { APPROVAL_ROUTES } from './approvals.js';
import { CONVERSATION_ROUTES } from './conversations.js';
import { CUSTOMER_ROUTES } from './customers.js';
import { HANDOFF_ROUTES } from './handoffs.js';
import { INGEST_ROUTES } from './ingest.js';
import { MACRO_ROUTES } from './macros.js';
import { ORDER_ROUTES } from './orders.js';
import { OUTBOX_ROUTES } from './outbox.js';
import { PRODUCT_CODE_ROUTES } from './product-codes.js';
import { RETURN_POLICY_ROUTES } from './return-policies.js';
import { RETURN_ROUTES } from './returns.js';
import { SESSION_ROUTES } from './session.js';
import { SHOPIFY_ROUTES } from './shopify.js';
import { SOP_ROUTES } from './sop.js';
import { STORE_ROUTES } from './store.js';
import { SYSTEM_ROUTES } from './system.js';
import { TEMPLATE_ROUTES } from './templates.js';
import { TIMELINE_ROUTES } from './timeline.js';
import { SIMULATION_ROUTES } from './simulations.js';
import { EVENT_ROUTES } from './events.js';
import { WIDGET_ROUTES } from './widget.js';
import { TOKEN_ROUTES } from './tokens.js';
import { USER_ROUTES } from './users.js';
import { SEARCH_ROUTES } from './search.js';
import { WEBHOOK_ROUTES } from './webhooks.js';

export const ROUTES: readonly Route[] = [
  ...SYSTEM_ROUTES,
  ...SESSION_ROUTES,
  ...SHOPIFY_ROUTES,
  ...WIDGET_ROUTES,
  ...TOOL_ROUTES,
  ...TOKEN_ROUTES,
  ...USER_ROUTES,
  ...SEARCH_ROUTES,
  ...APPROVAL_ROUTES,
  ...CUSTOMER_ROUTES,
  ...TIMELINE_ROUTES,
  ...INGEST_ROUTES,
  ...RETURN_POLICY_ROUTES,
  ...ORDER_ROUTES,
  ...RETURN_ROUTES,
  ...PRODUCT_CODE_ROUTES,
  ...AI_ROUTES,
  ...SIMULATION_ROUTES,
  ...CONVERSATION_ROUTES,
  ...HANDOFF_ROUTES,
  ...MACRO_ROUTES,
  ...TEMPLATE_ROUTES,
  ...OUTBOX_ROUTES,
  ...WEBHOOK_ROUTES,
  ...EVENT_ROUTES,
  ...STORE_ROUTES,
  ...SOP_ROUTES,
];
