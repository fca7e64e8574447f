/** Every REST route that is not a tool, by family; src/http/app.ts mounts them and src/http/openapi.ts documents them. */
import type { Route } from '../define-route.js';
import { TOOL_ROUTES } from '../tools.js';
import { CUSTOMER_ROUTES } from './customers.js';
import { INGEST_ROUTES } from './ingest.js';
import { ORDER_ROUTES } from './orders.js';
import { PRODUCT_CODE_ROUTES } from './product-codes.js';
import { SYSTEM_ROUTES } from './system.js';
import { TOKEN_ROUTES } from './tokens.js';

export const ROUTES: readonly Route[] = [
  ...SYSTEM_ROUTES,
  ...TOOL_ROUTES,
  ...TOKEN_ROUTES,
  ...CUSTOMER_ROUTES,
  ...INGEST_ROUTES,
  ...ORDER_ROUTES,
  ...PRODUCT_CODE_ROUTES,
];
