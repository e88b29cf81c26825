import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { changeRole, listUsers } from '../../domain/users.js';
import type { Role } from '../../generated/prisma/enums.js';
import { Uuid } from '../../http/schemas.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { adminDocs, adminOnly, UuidParam } from './shared.js';

const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
const AdminUser = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
});

export default async function userRoutes(app: FastifyInstance) {
  app.get(
    '/users',
    {
      config: adminOnly,
      schema: {
        ...adminDocs,
        summary: 'Users, oldest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            role: Type.Optional(RoleSchema),
            email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AdminUser) }) },
      },
    },
    async (request) => listUsers(app.db, request.query as { limit: number; role?: Role; email?: string }),
  );

  app.patch(
    '/users/:id/role',
    {
      config: adminOnly,
      schema: {
        ...adminDocs,
        summary: "Change a user's role (signs the user out everywhere)",
        params: UuidParam,
        body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
        response: { 200: AdminUser },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { role } = request.body as { role: Role };
      const user = await changeRole({ db: app.db, refreshTokens: app.refreshTokens }, id, role, requirePrincipal(request).sub);
      request.log.info({ event: 'role_changed', targetUserId: id, role }, 'role changed');
      return user;
    },
  );
}
