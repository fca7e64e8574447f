import { z } from 'zod';
import { transferToHuman } from '../app/inbox/transfer-to-human.js';
import { TransferInput } from '../app/inbox/schemas.js';
import { HANDOFF_POLICY, TRANSITION_POLICY } from '../domain/conversation-status.js';
import { defineTool, WRITE, writeOptions, type ToolDefinition } from './define.js';
import { refusal } from './refusals.js';
import { customerIdOut, isoTimeOut, orderIdOut } from './schemas.js';

const HandoffOutput = z.object({
  id: z.string().describe('Handoff id (hof_…)'),
  conversationId: z.string().describe('The conversation the human will continue (cnv_…)'),
  customerId: customerIdOut,
  status: z.string().describe('queued until a human takes it'),
  summary: z.string().describe('What the customer wants and why a human is needed, as given'),
  state: TransferInput.pick({ customerVerified: true, done: true, refused: true })
    .extend({
      orderId: orderIdOut.nullable().describe('The order the conversation is about (ord_…), or null'),
    })
    .describe('The structured state the human sees'),
  createdAt: isoTimeOut('When the handoff was created'),
});

export const transferToHumanRepresentative = defineTool({
  name: 'transfer_to_human_representative',
  title: 'Transfer to a human representative',
  description:
    'Hand the customer over to a human agent (Handling Returns, step 6: when the customer is not satisfied, or when a request ' +
    'needs a person). Give the customer id and a summary of the issue, and say what you know: whether the customer was verified, ' +
    'the order, what you already did, and what was refused and why (the reason code of each refusal). The conversation waits in the ' +
    'human queue until an agent takes it; tell the customer a person will continue the conversation.',
  refusals: [
    refusal('handoff_already_queued', 'the conversation is already waiting for a human', HANDOFF_POLICY),
    refusal('conversation_closed', 'the conversation is closed', TRANSITION_POLICY),
  ],
  input: TransferInput,
  output: HandoffOutput,
  hints: WRITE,
  // Not previewable: a handoff moves no money, stock or order; it only queues the conversation for a person,
  // and the SOP runner calls it as a compensation, where there is no one to confirm a preview with.
  previewable: false,
  run: (input, call) => transferToHuman(call.ctx, input, writeOptions(call)),
});

export const handoffTools: ToolDefinition[] = [transferToHumanRepresentative as unknown as ToolDefinition];
