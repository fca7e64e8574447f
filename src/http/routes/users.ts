import { z } from 'zod';
import { boundedEmail, boundedText } from '../../app/args.js';
import { createUser } from '../../app/auth/create-user.js';
import { listUsers } from '../../app/auth/list-users.js';
import { updateUser } from '../../app/auth/update-user.js';
import { UserOut } from '../../app/auth/user.schemas.js';
import { ROLES } from '../../domain/roles.js';
import { ACTION_ERRORS, defineRoute, listOf } from '../define-route.js';

const UserCreateInput = z.object({
  email: boundedEmail().describe('The email they sign in with'),
  password: boundedText('line').min(10, 'at least 10 characters').describe('A first password, at least 10 characters'),
  role: z.enum(ROLES).describe('admin, agent, ai_agent or viewer'),
  name: boundedText('name').min(1).optional().describe('How they are shown, e.g. "Alex"; defaults to the email name'),
});

const UserUpdateInput = z
  .object({
    role: z.enum(ROLES).optional().describe('The new role'),
    disabled: z.boolean().optional().describe('true: they can no longer sign in (their sessions end); false: again'),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, {
    message: 'give role or disabled',
    path: ['role'],
  });

/** People who sign in with a password; admin only. */
export const USER_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/users',
    operationId: 'listUsers',
    summary: 'People who sign in with a password, disabled ones too (admin)',
    tag: 'users',
    roles: ['admin'],
    errors: [401, 403],
    ok: { status: 200, description: 'The users, by email', schema: listOf('users', 'The users, by email', UserOut) },
    run: async ({ ctx }) => ({ users: await listUsers(ctx) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/users',
    operationId: 'createUser',
    summary: 'Add a person who signs in with a password (admin)',
    tag: 'users',
    roles: ['admin'],
    body: UserCreateInput,
    errors: [400, 401, 403, 409],
    ok: { status: 201, description: 'The user', schema: UserOut },
    run: async ({ ctx, c, body, opts }) => {
      const made = await createUser(ctx, body, opts);
      // As main answered it: the user as the list shows it.
      return c.json(
        (await listUsers(ctx)).find((u) => u.id === made.id),
        201,
      );
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/users/{id}',
    operationId: 'updateUser',
    summary:
      "Change a user's role, or disable them (their sessions end) or enable them again (admin); the last admin who can sign in stays one (last_admin)",
    tag: 'users',
    roles: ['admin'],
    body: UserUpdateInput,
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The user', schema: UserOut },
    run: ({ ctx, params, body, opts }) => updateUser(ctx, params.id, body, opts),
  }),
];
