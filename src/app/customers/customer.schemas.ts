/** The answers of the customer reads and writes over REST: the customer record and its timeline. */
import { z } from 'zod';
import type { CustomerRecord } from '../../db/repo/customers.js';
import type { Describes } from '../describes.js';
import { AddressOut, isoTimeOut } from '../outputs.js';
import type { TimelineEntry } from './get-customer-timeline.js';

export const CustomerRecordOut = z
  .object({
    id: z.string().describe('Customer id (cus_…)'),
    name: z.string().describe('Full name'),
    phone: z.string().nullable().describe('Phone number as given'),
    emails: z
      .array(z.object({ email: z.string().describe('Address'), isPrimary: z.boolean().describe('The registered one') }))
      .describe('Email addresses, primary first'),
    addresses: z
      .array(
        z.object({
          id: z.string().describe('Address id (adr_…)'),
          ...AddressOut.shape,
          isDefault: z.boolean().describe('The default shipping address'),
        }),
      )
      .describe('Saved addresses'),
    externalIds: z
      .array(
        z.object({ system: z.string().describe('e.g. shopify, ims'), externalId: z.string().describe('The id there') }),
      )
      .describe('Ids in other systems'),
    paymentMethods: z
      .array(
        z.object({
          id: z.string().describe('Payment method id (pm_…)'),
          kind: z.string().describe('card, paypal, gift_card or store_credit'),
          label: z.string().describe('e.g. "Visa •••• 4242"'),
          brand: z.string().nullable().describe('Card brand'),
          last4: z.string().nullable().describe('Last four digits of a card'),
          balance: z
            .number()
            .int()
            .nullable()
            .describe('Balance of a gift card or store credit, minor units; null for others'),
          currency: z.string().nullable().describe('Currency of the balance'),
        }),
      )
      .describe('Payment methods the customer owns'),
    createdAt: isoTimeOut('Created'),
    updatedAt: isoTimeOut('Last change'),
  })
  .describe('A customer');
true satisfies Describes<typeof CustomerRecordOut, CustomerRecord>;

export const TimelineEntryOut = z
  .object({
    id: z.string().describe('Event id'),
    type: z.string().describe('Dotted event type, e.g. refund.issued'),
    orderId: z.string().nullable().describe('The order it concerns'),
    actor: z
      .object({ kind: z.string().describe('human, ai_agent or system'), id: z.string().nullable().describe('Who') })
      .describe('Who did it'),
    data: z
      .record(z.string(), z.unknown())
      .describe('The facts of the event, by its type (see src/domain/timeline.ts)'),
    occurredAt: isoTimeOut('When'),
  })
  .describe('A timeline event');
true satisfies Describes<typeof TimelineEntryOut, TimelineEntry>;

export const TimelinePageOut = z.object({
  events: z.array(TimelineEntryOut).describe('Newest first'),
  nextCursor: z.string().nullable().describe('Pass as `before` for the next page; null at the end'),
});
