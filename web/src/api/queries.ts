/**
 * Every read the UI makes, as a TanStack Query definition: the key (the path of the document and its parameters)
 * and the call. Components share the cache by key, so a list, a count and a detail of the same thing agree, and a
 * write refreshes what it may have changed with `refreshAfterWrite` instead of counters that force a refetch.
 */
import { infiniteQueryOptions, type InfiniteData, QueryClient, queryOptions } from '@tanstack/react-query';
import { ApiError, client, ok } from './client';
import {
  described,
  type AiStatus,
  type AiTurns,
  type ConversationPage,
  type Me,
  type MacroList,
  type Order,
  type OrderActionsView,
  type ProseConversationDetail,
  type ProseCustomer,
  type ProseHandoff,
  type ProseOrder,
  type ProseProduct,
  type ProseSopRun,
  type ProseSopSummary,
  type ProseTool,
  type ReturnView,
  type SopRunList,
  type TemplateList,
  type TimelinePage,
  type ToolSummary,
} from './types';

/**
 * A refusal or a missing record (an answer of 4xx) is an answer, not a glitch: shown at once rather than retried. A
 * dropped connection or a 5xx is retried quietly, twice, while what is shown stays.
 */
export function retryGlitch(failures: number, error: unknown): boolean {
  return failures < 2 && !(error instanceof ApiError && error.status < 500);
}

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryGlitch, refetchOnWindowFocus: false },
    },
  });
}

/**
 * A conversation the server answered after a write, put at once in every cached list page and in its detail, so a
 * status change shows in the list before the lists are read again.
 */
export function showConversation(queryClient: QueryClient, c: ConversationPage['items'][number]): void {
  queryClient.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: ['/v1/conversations'] }, (data) =>
    data?.pages
      ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((x) => (x.id === c.id ? c : x)) })) }
      : data,
  );
  queryClient.setQueryData(queries.conversation(c.id).queryKey, (d) => (d ? { ...d, ...c } : d));
  void queryClient.invalidateQueries({ queryKey: queries.conversationCounts().queryKey });
}

/** How many of a customer's orders the sidebar shows at first (and adds with "Show older orders"). */
export const SIDEBAR_ORDERS_PAGE = 10;

/**
 * How long a read made as the page starts stays fresh: the screens that mount just after find it cached and do not ask
 * again. Live events and writes still refresh it at once (they invalidate).
 */
const FIRST_READ_FRESH_MS = 10_000;

/**
 * Started by the page's entry (main.tsx) before the app's code is loaded: the session check and, when the page opens
 * on a conversation (#/c/<id>), the tool list and the conversation, then its customer's first page of orders with
 * their actions — what the conversation view and its sidebar ask for first, so they find it cached. Resolves once the
 * session is known and the conversation read (its orders asked for), failures included: the screens show those.
 * Signed out, the reads answer 401 and are asked again after sign-in.
 */
export function startFirstReads(cache: QueryClient, hash: string): Promise<void> {
  const session = cache.prefetchQuery(queries.session());
  const id = /^#\/c\/(\w+)/.exec(hash)?.[1];
  if (!id) return session;
  void cache.prefetchQuery(queries.tools());
  const conversation = cache.fetchQuery(queries.conversation(id)).then(
    (c) => void cache.prefetchQuery(queries.customerOrders(c.customerId, 0, SIDEBAR_ORDERS_PAGE)),
    () => undefined,
  );
  return Promise.all([session, conversation]).then(() => undefined);
}

/** Kept when a write refreshes the rest: reads no action of an agent changes. */
const UNCHANGED_BY_ACTIONS = new Set<unknown>([
  '/v1/session',
  '/v1/tools/summary',
  '/v1/tools/{name}',
  '/v1/sops',
  '/v1/macros',
  '/v1/templates',
]);

/** After an order action, a reply, a step or a handoff: refetch what is shown, mark the rest stale. */
export function refreshAfterWrite(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => !UNCHANGED_BY_ACTIONS.has(q.queryKey[0]) });
}

export interface ConversationFilters {
  /** A status, `open_work` (open, pending, waiting for a human: what the inbox opens on), or '' for any. */
  status: string;
  channel: string;
  assignee: string;
  q: string;
  /** One customer's conversations (cus_…), or '' for anyone's. */
  customerId?: string;
}
const CONVERSATION_PAGE = 30;
/** The statuses that are still work; the inbox opens on them. */
export const OPEN_WORK = ['open', 'pending', 'waiting_for_human'] as const;

export const queries = {
  /** Who is signed in; null when nobody is (401). Any other failure is an error, not a sign-in page. */
  session: () =>
    queryOptions({
      queryKey: ['/v1/session'],
      staleTime: FIRST_READ_FRESH_MS,
      // A server fault is shown at once, with its own "Try again".
      retry: false,
      queryFn: async (): Promise<Me | null> => {
        try {
          return await ok(client.GET('/v1/session'));
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) return null;
          throw e;
        }
      },
    }),

  /** The dead letters: deliveries the outbox gave up after its last retry, newest first, a page at a time. */
  approvals: (status: 'pending' | 'approved' | 'declined') =>
    queryOptions({
      queryKey: ['/v1/approvals', { status }],
      queryFn: async () => ok(client.GET('/v1/approvals', { params: { query: { status } } })),
    }),
  /** The simulations the server can run, and the agent models a run may use. */
  simulations: () =>
    queryOptions({
      queryKey: ['/v1/simulations'],
      queryFn: async () => ok(client.GET('/v1/simulations')),
    }),
  simulationRuns: () =>
    queryOptions({
      queryKey: ['/v1/simulation-runs'],
      queryFn: async () => ok(client.GET('/v1/simulation-runs')),
    }),
  /** A run's progress and results: polled every 2 s while it runs. */
  simulationRun: (id: string) =>
    queryOptions({
      queryKey: ['/v1/simulation-runs/{id}', id],
      queryFn: async () => ok(client.GET('/v1/simulation-runs/{id}', { params: { path: { id } } })),
      refetchInterval: (q) => (q.state.data?.run.status === 'running' ? 2_000 : false),
    }),
  simulationTrial: (runId: string, trialId: string) =>
    queryOptions({
      queryKey: ['/v1/simulation-runs/{id}/trials/{trialId}', runId, trialId],
      queryFn: async () =>
        ok(client.GET('/v1/simulation-runs/{id}/trials/{trialId}', { params: { path: { id: runId, trialId } } })),
      staleTime: Number.POSITIVE_INFINITY,
    }),
  approvalPolicy: () =>
    queryOptions({
      queryKey: ['/v1/approval-policy'],
      queryFn: async () => ok(client.GET('/v1/approval-policy')),
    }),
  failedDeliveries: () =>
    infiniteQueryOptions({
      queryKey: ['/v1/outbox/failed'],
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) =>
        ok(
          client.GET('/v1/outbox/failed', {
            params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        ),
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  handoffs: (status: 'queued' | 'taken') =>
    queryOptions({
      queryKey: ['/v1/handoffs', { status }],
      queryFn: async () =>
        (await ok(client.GET('/v1/handoffs', { params: { query: { status } } }))).handoffs.map(
          described<ProseHandoff>(),
        ),
    }),

  conversations: (f: ConversationFilters) =>
    infiniteQueryOptions({
      queryKey: ['/v1/conversations', f],
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) =>
        (await ok(
          client.GET('/v1/conversations', {
            params: {
              query: {
                limit: CONVERSATION_PAGE,
                ...(f.status === 'waiting_for_human'
                  ? { waiting_for_human: 'true' as const }
                  : f.status === 'open_work'
                    ? { status: OPEN_WORK.join(',') }
                    : f.status
                      ? { status: f.status }
                      : {}),
                ...(f.channel ? { channel: f.channel as never } : {}),
                ...(f.assignee ? { assignee: f.assignee } : {}),
                ...(f.q ? { q: f.q } : {}),
                ...(f.customerId ? { customer_id: f.customerId } : {}),
                ...(pageParam ? { cursor: pageParam } : {}),
              },
            },
          }),
        )) as ConversationPage,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),

  /** How many conversations each view holds, and who has open work (the assignee filter's colleagues). */
  conversationCounts: () =>
    queryOptions({
      queryKey: ['/v1/conversations/counts'],
      queryFn: async () => ok(client.GET('/v1/conversations/counts')),
    }),

  /** Customers and orders for the inbox's search box. */
  directory: (q: string) =>
    queryOptions({
      queryKey: ['/v1/search', { q }],
      enabled: q.length >= 2,
      queryFn: async () => ok(client.GET('/v1/search', { params: { query: { q } } })),
    }),

  users: () =>
    queryOptions({
      queryKey: ['/v1/users'],
      queryFn: async () => (await ok(client.GET('/v1/users'))).users,
    }),

  webhooks: () =>
    queryOptions({
      queryKey: ['/v1/webhooks'],
      queryFn: async () => (await ok(client.GET('/v1/webhooks'))).webhooks,
    }),

  webhookEventTypes: () =>
    queryOptions({
      queryKey: ['/v1/webhooks/event-types'],
      queryFn: () => ok(client.GET('/v1/webhooks/event-types')),
      staleTime: Number.POSITIVE_INFINITY,
    }),

  webhookDeliveries: (id: string) =>
    queryOptions({
      queryKey: ['/v1/webhooks/{id}/deliveries', id],
      queryFn: () => ok(client.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } })),
    }),

  tokens: () =>
    queryOptions({
      queryKey: ['/v1/tokens'],
      queryFn: async () => (await ok(client.GET('/v1/tokens'))).tokens,
    }),

  conversation: (id: string) =>
    queryOptions({
      queryKey: ['/v1/conversations/{id}', { id }],
      staleTime: FIRST_READ_FRESH_MS,
      queryFn: async () =>
        described<ProseConversationDetail>()(
          await ok(client.GET('/v1/conversations/{id}', { params: { path: { id } } })),
        ),
    }),

  /** The AI agent's settings (whether it is on, how to turn it on); they change only on a restart. */
  aiStatus: () =>
    queryOptions({
      queryKey: ['/v1/ai'],
      staleTime: 5 * 60_000,
      queryFn: async (): Promise<AiStatus> => ok(client.GET('/v1/ai')),
    }),

  /** A conversation's AI turns with their traces, newest first, and whether the AI is paused there. */
  aiTurns: (conversationId: string) =>
    queryOptions({
      queryKey: ['/v1/conversations/{id}/ai-turns', { id: conversationId }],
      queryFn: async (): Promise<AiTurns> =>
        ok(client.GET('/v1/conversations/{id}/ai-turns', { params: { path: { id: conversationId } } })),
    }),

  macros: () =>
    queryOptions({
      queryKey: ['/v1/macros'],
      queryFn: async () => (await ok(client.GET('/v1/macros'))) as MacroList,
    }),

  templates: () =>
    queryOptions({
      queryKey: ['/v1/templates'],
      queryFn: async () => (await ok(client.GET('/v1/templates'))) as TemplateList,
    }),

  customer: (id: string) =>
    queryOptions({
      queryKey: ['/v1/customers/{id}', { id }],
      queryFn: async () =>
        described<ProseCustomer>()(await ok(client.GET('/v1/customers/{id}', { params: { path: { id } } }))),
    }),

  /** The team's note and tags of a customer, their order count and lifetime value. */
  customerProfile: (id: string) =>
    queryOptions({
      queryKey: ['/v1/customers/{id}/profile', { id }],
      queryFn: async () => ok(client.GET('/v1/customers/{id}/profile', { params: { path: { id } } })),
    }),

  /** A customer's access codes (active first, then revoked), to show beside the course orders they belong to. */
  productCodes: (customerId: string) =>
    queryOptions({
      queryKey: ['/v1/product-codes', { customerId }],
      queryFn: async () =>
        ok(client.GET('/v1/product-codes', { params: { query: { customerId, includeRevoked: 'true' } } })),
    }),

  /**
   * A customer's orders, `pageSize` at a time, newest first; `hasMore` from one order read past the page. What can be
   * done to each order of the page is read beside it in one request (GET /v1/customers/{id}/orders/actions) and put
   * in each order's `orderActions` entry, so the cards ask nothing more.
   */
  customerOrders: (id: string, offset: number, pageSize: number) =>
    queryOptions({
      queryKey: ['/v1/customers/{id}/orders', { id, offset, pageSize }],
      staleTime: FIRST_READ_FRESH_MS,
      queryFn: async ({ client: cache }) => {
        const [r, actions] = await Promise.all([
          ok(
            client.GET('/v1/customers/{id}/orders', {
              params: { path: { id }, query: { limit: pageSize + 1, offset } },
            }),
          ),
          // Without it each card reads its own (GET /v1/orders/{ref}/actions): slower, not wrong.
          ok(
            client.GET('/v1/customers/{id}/orders/actions', {
              params: { path: { id }, query: { limit: Math.min(pageSize, 50), offset } },
            }),
          ).catch(() => null),
        ]);
        for (const a of actions?.orders ?? []) cache.setQueryData(queries.orderActions(a.orderId).queryKey, a);
        const orders: Order[] = r.orders.map(described<ProseOrder>());
        return { orders: orders.slice(0, pageSize), hasMore: orders.length > pageSize };
      },
    }),

  /** An order by id (ord_…) or number (#1001). */
  order: (ref: string) =>
    queryOptions({
      queryKey: ['/v1/orders/{ref}', { ref }],
      queryFn: async () =>
        described<ProseOrder>()(await ok(client.GET('/v1/orders/{ref}', { params: { path: { ref } } }))),
    }),

  /** What can be done to an order now (each action allowed, or why not), and its returns and exchanges. */
  orderActions: (ref: string) =>
    queryOptions({
      queryKey: ['/v1/orders/{ref}/actions', { ref }],
      // Filled by the customer's page of orders just before a card mounts: not read again on mount.
      staleTime: 30_000,
      queryFn: async (): Promise<OrderActionsView> =>
        ok(client.GET('/v1/orders/{ref}/actions', { params: { path: { ref } } })),
    }),

  /** The store's returns in one status, oldest first (requested: waiting for a decision). */
  returns: (status: ReturnView['status']) =>
    queryOptions({
      queryKey: ['/v1/returns', { status }],
      queryFn: async () => ok(client.GET('/v1/returns', { params: { query: { status, limit: 100 } } })),
    }),

  timeline: (customerId: string, types: string) =>
    infiniteQueryOptions({
      queryKey: ['/v1/customers/{id}/timeline', { id: customerId, types }],
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) =>
        (await ok(
          client.GET('/v1/customers/{id}/timeline', {
            params: {
              path: { id: customerId },
              query: { limit: 30, ...(types ? { types } : {}), ...(pageParam ? { before: pageParam } : {}) },
            },
          }),
        )) as TimelinePage,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),

  product: (id: string) =>
    queryOptions({
      queryKey: ['/v1/products/{id}', { id }],
      queryFn: async () =>
        described<ProseProduct>()(await ok(client.GET('/v1/products/{id}', { params: { path: { id } } }))),
    }),

  /**
   * The server's tools by name, in short (name, title, hints: GET /v1/tools/summary, not every schema); empty when the
   * server has no tool API. The catalogue is fixed while a server runs.
   */
  tools: () =>
    queryOptions({
      queryKey: ['/v1/tools/summary'],
      staleTime: Infinity,
      queryFn: async () => {
        try {
          const r = await ok(client.GET('/v1/tools/summary'));
          return new Map(r.tools.map((t) => [t.name, t]));
        } catch {
          return new Map<string, ToolSummary>();
        }
      },
    }),

  /** One tool with its schemas (an action's form is built from its input schema). */
  tool: (name: string) =>
    queryOptions({
      queryKey: ['/v1/tools/{name}', { name }],
      staleTime: Infinity,
      queryFn: async () =>
        described<ProseTool>()(await ok(client.GET('/v1/tools/{name}', { params: { path: { name } } }))),
    }),

  sops: () =>
    queryOptions({
      queryKey: ['/v1/sops'],
      queryFn: async () => (await ok(client.GET('/v1/sops'))).sops.map(described<ProseSopSummary>()),
    }),

  sopRuns: (customerId: string) =>
    queryOptions({
      queryKey: ['/v1/sop-runs', { customerId }],
      queryFn: async () =>
        ((await ok(client.GET('/v1/sop-runs', { params: { query: { customerId, limit: 20 } } }))) as SopRunList).runs,
    }),

  sopRun: (id: string) =>
    queryOptions({
      queryKey: ['/v1/sop-runs/{id}', { id }],
      queryFn: async () =>
        described<ProseSopRun>()(await ok(client.GET('/v1/sop-runs/{id}', { params: { path: { id } } }))),
    }),
};
