import { z } from 'zod';
import type { JsonSchema } from '../../tools/json-schema.js';
import { defineRoute } from '../define-route.js';
import { health } from '../health.js';

const OPENAPI: JsonSchema = {
  type: 'object',
  description: 'An OpenAPI 3.1 document',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', description: 'The OpenAPI version, 3.1.0' },
    info: { type: 'object', description: 'Title, version and description of the API' },
    paths: { type: 'object', description: 'Every operation, by path and method' },
    components: { type: 'object', description: 'Shared schemas, responses and security schemes' },
  },
};

const HealthOut = z.object({
  status: z.literal('ok').describe('Always ok'),
  database: z.enum(['embedded', 'server']).describe('Which database runs'),
});

/** Health and this document: no token needed. */
export const SYSTEM_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Health check (no token needed)',
    tag: 'system',
    public: true,
    errors: [],
    ok: { status: 200, description: 'The server is up and its database migrated', schema: HealthOut },
    run: ({ ctx }) => health(ctx),
  }),
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document (no token needed)',
    tag: 'system',
    public: true,
    errors: [],
    ok: { status: 200, description: 'The OpenAPI 3.1 document', schema: OPENAPI },
    run: ({ server }) => server.openApi(),
  }),
];
