import type { FastifyReply } from 'fastify';

/**
 * A 204 has no body: send() with nothing, so no serialiser or JSON content type comes into it.
 * Typed as a plain reply because the route's own `204: Type.Null()` would demand a null payload.
 */
export const noContent = (reply: FastifyReply) => reply.status(204).send();
