import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { addNote } from '../../app/inbox/add-note.js';
import { assignConversation } from '../../app/inbox/assign-conversation.js';
import { changeConversationStatus } from '../../app/inbox/change-conversation-status.js';
import { countConversationViews } from '../../app/inbox/count-conversations.js';
import { createConversation } from '../../app/inbox/create-conversation.js';
import { getConversation } from '../../app/inbox/get-conversation.js';
import { listConversations } from '../../app/inbox/list-conversations.js';
import { receiveMessage } from '../../app/inbox/receive-message.js';
import { sendReply } from '../../app/inbox/send-reply.js';
import { updateConversation } from '../../app/inbox/update-conversation.js';
import {
  AssignInput,
  CreateConversationInput,
  InboundInput,
  MessageInput,
  StatusInput,
  UpdateConversationInput,
} from '../../app/inbox/schemas.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../domain/conversation-status.js';
import type { Env } from '../auth.js';
import { idempotencyKey, parseBody, parseQuery } from '../parse.js';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  boundedText('line')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)));

export const ConversationListQuery = z.object({
  status: csv(CONVERSATION_STATUSES).optional().describe('Comma-separated statuses'),
  channel: z.enum(CHANNELS).optional(),
  assignee: z.string().min(1).max(120).optional().describe('"me", "unassigned", "ai_agent" or an agent name'),
  waiting_for_human: z.enum(['true', 'false']).optional(),
  customer_id: boundedText('code').min(1).optional(),
  tag: z.string().min(1).max(40).optional(),
  q: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Customer email, customer name or last name (its start), order number (#1001), channel ticket id or words of the subject',
    ),
  cursor: z.string().min(1).max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const opts = (c: Context<Env>) => ({ actor: c.get('actor'), idempotencyKey: idempotencyKey(c) });

export function conversationRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => {
      const q = parseQuery(c, ConversationListQuery);
      const me = c.get('principal').name;
      const assignee =
        q.assignee === undefined
          ? undefined
          : q.assignee === 'unassigned'
            ? null
            : q.assignee === 'me'
              ? me
              : q.assignee;
      return c.json(
        await listConversations(ctx, {
          statuses: q.status,
          channel: q.channel,
          assignee,
          waitingForHuman: q.waiting_for_human === 'true',
          customerId: q.customer_id,
          tag: q.tag,
          q: q.q,
          cursor: q.cursor,
          limit: q.limit,
        }),
      );
    })
    .post('/', async (c) =>
      c.json(await createConversation(ctx, await parseBody(c, CreateConversationInput), opts(c)), 201),
    )
    .get('/counts', async (c) => c.json(await countConversationViews(ctx)))
    .post('/inbound', async (c) => c.json(await receiveMessage(ctx, await parseBody(c, InboundInput), opts(c)), 201))
    .get('/:id', async (c) => c.json(await getConversation(ctx, c.req.param('id'))))
    .patch('/:id', async (c) =>
      c.json(await updateConversation(ctx, c.req.param('id'), await parseBody(c, UpdateConversationInput), opts(c))),
    )
    .post('/:id/status', async (c) =>
      c.json(await changeConversationStatus(ctx, c.req.param('id'), await parseBody(c, StatusInput), opts(c))),
    )
    .post('/:id/assign', async (c) => {
      const { assignee } = await parseBody(c, AssignInput);
      return c.json(
        await assignConversation(
          ctx,
          c.req.param('id'),
          { assignee: assignee === 'me' ? c.get('principal').name : assignee },
          opts(c),
        ),
      );
    })
    .post('/:id/replies', async (c) =>
      c.json(await sendReply(ctx, c.req.param('id'), await parseBody(c, MessageInput), opts(c)), 201),
    )
    .post('/:id/notes', async (c) =>
      c.json(await addNote(ctx, c.req.param('id'), await parseBody(c, MessageInput), opts(c)), 201),
    );
}
