import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeRole, listUsers } from '../../domain/users.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { RoleChange, UserAccount, UserAccountList, UserId, UserQuery } from '../../schemas/user.js';
import { adminDocs, adminOnly } from './shared.js';

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      config: adminOnly,
      schema: { ...adminDocs, summary: 'Users, oldest first', querystring: UserQuery, response: { 200: UserAccountList } },
    },
    async (request) => listUsers(app.db, request.query),
  );

  app.patch(
    '/users/:id/role',
    {
      config: adminOnly,
      schema: {
        ...adminDocs,
        summary: "Change a user's role (signs the user out everywhere)",
        params: UserId,
        body: RoleChange,
        response: { 200: UserAccount },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { role } = request.body;
      const user = await changeRole({ db: app.db, refreshTokens: app.refreshTokens }, id, role, requirePrincipal(request).sub);
      request.log.info({ event: 'role_changed', targetUserId: id, role }, 'role changed');
      return user;
    },
  );
};

export default userRoutes;
