/** The team's note and tags of a customer: what a write takes, and the profile the customer panel reads. */
import { z } from 'zod';
import type { CustomerProfileRow } from '../../db/repo/customers.js';
import { boundedText } from '../args.js';
import type { Describes } from '../describes.js';

export const SetCustomerNotesInput = z.object({
  note: boundedText('message').describe('What the team writes about the customer, for colleagues only; "" clears it'),
  tags: z
    .array(
      boundedText('code')
        .trim()
        .toLowerCase()
        .regex(
          /^[\p{L}\p{N}][\p{L}\p{N} _:.-]*$/u,
          'letters, digits, spaces and - _ : . (starting with a letter or digit)',
        )
        .describe('A tag, e.g. vip'),
    )
    .max(30, 'at most 30 tags')
    .describe('Every tag of the customer (replaces the list); lower-cased, duplicates dropped'),
});
export type SetCustomerNotesInput = z.infer<typeof SetCustomerNotesInput>;

export const CustomerProfileOut = z
  .object({
    note: z.string().describe("The team's note ('' when none)"),
    tags: z.array(z.string()).describe("The team's tags"),
    orderCount: z.number().int().describe('Every order of the customer, canceled ones too'),
    lifetimeValue: z
      .array(
        z.object({
          currency: z.string().describe('ISO-4217 currency code'),
          amount: z.number().int().describe('Minor units: what was paid less what was refunded'),
          orders: z.number().int().describe('Orders counted: those paid in whole or in part, refunded ones too'),
        }),
      )
      .describe(
        'Per currency, net of refunds: the money paid for the orders (captures and sales) less every refund; unpaid orders add nothing',
      ),
  })
  .describe("The customer panel's summary: the team's note and tags, the order count and lifetime value");
true satisfies Describes<typeof CustomerProfileOut, CustomerProfileRow>;
