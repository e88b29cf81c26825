import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.js';

/** Every admin route is documented under one tag and takes a bearer token. */
export const adminDocs = { tags: ['admin'], security: [{ bearer: [] }] };

/** Staff run the shop floor (products, stock, orders); only admins retire products and change who is staff. */
export const staffOnly = { access: 'staff' as const };
export const adminOnly = { access: 'admin' as const };

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const UuidParam = Type.Object({ id: Uuid });
