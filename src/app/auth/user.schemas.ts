import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import type { Describes } from '../describes.js';
import { isoTimeOut } from '../outputs.js';
import type { UserView } from './list-users.js';

export const UserOut = z
  .object({
    id: z.string().describe('User id (usr_…)'),
    email: z.string().describe('The email they sign in with'),
    name: z.string().describe('How they are shown (assignee, author of replies)'),
    role: z.enum(ROLES).describe('admin, agent, ai_agent or viewer'),
    createdAt: isoTimeOut('Created'),
    disabledAt: z.string().nullable().describe('When they were disabled (cannot sign in), ISO-8601; null = active'),
  })
  .describe('A person who signs in with a password');
true satisfies Describes<typeof UserOut, UserView>;
