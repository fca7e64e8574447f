import { z } from 'zod';
import type { Describes } from '../describes.js';
import { isoTimeOut } from '../outputs.js';
import type { DirectorySearch } from './search-directory.js';

export const DirectorySearchOut = z.object({
  customers: z
    .array(
      z.object({
        id: z.string().describe('Customer id (cus_…)'),
        name: z.string().describe('Full name'),
        email: z.string().nullable().describe('Primary email'),
        phone: z.string().nullable().describe('Phone number'),
        orderCount: z.number().int().describe('How many orders they placed'),
      }),
    )
    .describe('Customers whose name, last name, email or phone starts with the search, by name'),
  orders: z
    .array(
      z.object({
        id: z.string().describe('Order id (ord_…)'),
        number: z.number().int().describe('Order number (#1004 is 1004)'),
        channelName: z.string().nullable().describe("The channel's name of the order, when not #number"),
        channel: z.string().describe('Where it was placed'),
        externalRef: z.string().nullable().describe("The channel's reference, e.g. ESG-58231467"),
        placedAt: isoTimeOut('Placed'),
        customer: z
          .object({ id: z.string().describe('Customer id'), name: z.string().describe('Full name') })
          .nullable()
          .describe('Whose order it is'),
      }),
    )
    .describe('Orders the search names (id, number, channel reference or channel name), newest first'),
});
true satisfies Describes<typeof DirectorySearchOut, DirectorySearch>;
