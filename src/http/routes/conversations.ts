import { z } from 'zod';
import { boundedText } from '../../app/args.js';
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
import {
  ConversationCountsOut,
  ConversationDetailOut,
  ConversationOut,
  ConversationPageOut,
} from '../../app/inbox/view.schemas.js';
import { getAttachment } from '../../app/email/get-attachment.js';
import { contentDisposition, dispositionOf, servedContentType } from '../../domain/attachments.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../domain/conversation-status.js';
import { invalid } from '../../kernel/errors.js';
import { ACTION_ERRORS, defineRoute } from '../define-route.js';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  boundedText('line')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)));

const ConversationListQuery = z.object({
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

const AttachmentQuery = z.object({
  inline: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: show a PNG, JPEG, GIF or WebP image in the page; any other file is always a download'),
});

export const CONVERSATION_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/conversations',
    operationId: 'listConversations',
    summary: 'Conversations, filtered and paged',
    tag: 'inbox',
    query: ConversationListQuery,
    ok: { status: 200, description: 'A page of conversations', schema: ConversationPageOut },
    run: ({ ctx, c, query: q }) => {
      const me = c.get('principal').name;
      const assignee =
        q.assignee === undefined
          ? undefined
          : q.assignee === 'unassigned'
            ? null
            : q.assignee === 'me'
              ? me
              : q.assignee;
      return listConversations(ctx, {
        statuses: q.status,
        channel: q.channel,
        assignee,
        waitingForHuman: q.waiting_for_human === 'true',
        customerId: q.customer_id,
        tag: q.tag,
        q: q.q,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations',
    operationId: 'createConversation',
    summary: 'Open a conversation with a customer',
    tag: 'inbox',
    body: CreateConversationInput,
    ok: { status: 201, description: 'The conversation', schema: ConversationOut },
    run: ({ ctx, body, opts }) => createConversation(ctx, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversations/counts',
    operationId: 'countConversations',
    summary: 'How many conversations each inbox view holds, and who has open work',
    tag: 'inbox',
    errors: [401],
    ok: { status: 200, description: 'The counts', schema: ConversationCountsOut },
    run: ({ ctx }) => countConversationViews(ctx),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/inbound',
    operationId: 'receiveMessage',
    summary: "Record a customer's incoming message (joins its conversation or opens one)",
    tag: 'inbox',
    body: InboundInput,
    ok: { status: 201, description: 'The conversation', schema: ConversationOut },
    run: ({ ctx, body, opts }) => receiveMessage(ctx, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversations/{id}',
    operationId: 'getConversation',
    summary: 'A conversation with its messages',
    tag: 'inbox',
    ok: { status: 200, description: 'The conversation', schema: ConversationDetailOut },
    run: ({ ctx, params }) => getConversation(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/conversations/{id}',
    operationId: 'updateConversation',
    summary: 'Change the subject, tags, priority or linked orders of a conversation',
    tag: 'inbox',
    body: UpdateConversationInput,
    ok: { status: 200, description: 'The conversation', schema: ConversationOut },
    run: ({ ctx, params, body, opts }) => updateConversation(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/status',
    operationId: 'changeConversationStatus',
    summary: 'Move a conversation to another status (by its transition table)',
    tag: 'inbox',
    body: StatusInput,
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The conversation', schema: ConversationOut },
    run: ({ ctx, params, body, opts }) => changeConversationStatus(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/assign',
    operationId: 'assignConversation',
    summary: 'Assign a conversation to an agent, or unassign it',
    tag: 'inbox',
    body: AssignInput,
    ok: { status: 200, description: 'The conversation', schema: ConversationOut },
    run: ({ ctx, c, params, body: { assignee }, opts }) =>
      assignConversation(ctx, params.id, { assignee: assignee === 'me' ? c.get('principal').name : assignee }, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/replies',
    operationId: 'sendReply',
    summary: 'Send a reply to the customer',
    tag: 'inbox',
    body: MessageInput,
    ok: { status: 201, description: 'The conversation after the reply', schema: ConversationOut },
    run: ({ ctx, params, body, opts }) => sendReply(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/notes',
    operationId: 'addNote',
    summary: 'Add an internal note (the customer never sees it)',
    tag: 'inbox',
    body: MessageInput,
    ok: { status: 201, description: 'The conversation after the note', schema: ConversationOut },
    run: ({ ctx, params, body, opts }) => addNote(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversations/{id}/messages/{messageId}/attachments/{position}',
    operationId: 'getAttachment',
    summary: "Download a file a customer's email carried",
    description:
      'The file as the customer sent it, with its media type when well formed (else application/octet-stream) and a ' +
      'Content-Disposition naming it (path parts and quotes removed). Only PNG, JPEG, GIF and WebP images are shown ' +
      'inline, and only with `inline=true`; every other file is a download. Files over the size limit (10 MB) were left ' +
      'in the mailbox: 404 with reason attachment_not_stored.',
    tag: 'inbox',
    query: AttachmentQuery,
    ok: { status: 200, description: 'The file', mediaType: 'application/octet-stream' },
    run: async ({ ctx, params, query }) => {
      const position = Number(params.position);
      if (!/^\d{1,4}$/.test(params.position) || !Number.isSafeInteger(position))
        throw invalid('position', 'the attachment number, 0 for the first');
      const file = await getAttachment(ctx, { conversationId: params.id, messageId: params.messageId, position });
      const type = servedContentType(file.contentType);
      return new Response(file.content as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: {
          'content-type': type,
          'content-length': String(file.content.byteLength),
          'content-disposition': contentDisposition(dispositionOf(type, query.inline === 'true'), file.filename),
          'x-content-type-options': 'nosniff',
          // Even opened directly, the file runs nothing in the desk's origin.
          'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
          'cache-control': 'private, max-age=3600',
        },
      });
    },
  }),
];
