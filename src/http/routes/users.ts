import { Hono } from 'hono';
import { z } from 'zod';
import { boundedEmail, boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { createUser } from '../../app/auth/create-user.js';
import { listUsers } from '../../app/auth/list-users.js';
import { updateUser } from '../../app/auth/update-user.js';
import { ROLES } from '../../domain/roles.js';
import { requireRole, type Env } from '../auth.js';
import { parseBody } from '../parse.js';

export const UserCreateInput = z.object({
  email: boundedEmail().describe('The email they sign in with'),
  password: boundedText('line').min(10, 'at least 10 characters').describe('A first password, at least 10 characters'),
  role: z.enum(ROLES).describe('admin, agent, ai_agent or viewer'),
  name: boundedText('name').min(1).optional().describe('How they are shown, e.g. "Alex"; defaults to the email name'),
});

export const UserUpdateInput = z
  .object({
    role: z.enum(ROLES).optional().describe('The new role'),
    disabled: z.boolean().optional().describe('true: they can no longer sign in (their sessions end); false: again'),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, {
    message: 'give role or disabled',
    path: ['role'],
  });

/** People who sign in with a password; admin only. */
export function userRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => c.json({ users: await listUsers(ctx) }))
    .post('/', async (c) => {
      const made = await createUser(ctx, await parseBody(c, UserCreateInput));
      const user = (await listUsers(ctx)).find((u) => u.id === made.id);
      return c.json(user, 201);
    })
    .patch('/:id', async (c) => c.json(await updateUser(ctx, c.req.param('id'), await parseBody(c, UserUpdateInput))));
}
