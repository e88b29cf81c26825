/** Every admin route is documented under one tag and takes a bearer token. */
export const adminDocs = { tags: ['admin'], security: [{ bearer: [] }] };

/** Staff run the shop floor (products, stock, orders); only admins retire products and change who is staff. */
export const staffOnly = { access: 'staff' as const };
export const adminOnly = { access: 'admin' as const };
