import t from 'tap';
import { harness } from './helpers/harness.js';

/**
 * Every /v1 route, for every role: a route that needs more than the caller has
 * answers 401 (anonymous) or 403 (signed in, not enough), and never runs.
 * The list of routes comes from the app itself, so a new route is covered the
 * moment it exists (and cannot exist without declaring its access rule).
 */
t.test('role-based access on every route', async (t) => {
  const h = await harness(t);
  const customer = await h.user('customer');
  const staff = await h.user('staff');
  const admin = await h.user('admin');
  const callers = { anonymous: {}, customer: customer.auth, staff: staff.auth, admin: admin.auth };
  const rank = { anonymous: 0, customer: 1, staff: 2, admin: 3 } as const;
  const needed = { public: 0, optional: 0, customer: 1, staff: 2, admin: 3 } as const;

  t.ok(h.app.accessRules.length >= 20, `${h.app.accessRules.length} routes declare access rules`);
  t.ok(
    h.app.accessRules.some((r) => r.access === 'admin'),
    'some routes are admin-only',
  );
  const before = await h.sql<{ n: number }>(
    'SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM stock_adjustments) + (SELECT count(*) FROM role_changes) AS n',
  );

  for (const rule of h.app.accessRules) {
    const url = rule.url
      .replace(':productId', '1')
      .replace(':id', rule.url.includes('/orders/') || rule.url.includes('/users/') ? '00000000-0000-4000-8000-000000000000' : '1')
      .replace(':slug', 'x');
    for (const [who, headers] of Object.entries(callers) as [keyof typeof callers, Record<string, string>][]) {
      const res = await h.app.inject({ method: rule.method as 'GET', url, headers, payload: rule.method === 'GET' ? undefined : {} });
      const allowed = rank[who] >= needed[rule.access];
      if (allowed) {
        t.notOk([401, 403].includes(res.statusCode), `${who} may ${rule.method} ${rule.url} (${res.statusCode})`);
      } else {
        t.equal(res.statusCode, who === 'anonymous' ? 401 : 403, `${who} refused ${rule.method} ${rule.url}`);
      }
    }
  }
  const after = await h.sql<{ n: number }>(
    'SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM stock_adjustments) + (SELECT count(*) FROM role_changes) AS n',
  );
  t.same(after, before, 'refused calls changed nothing');
});

t.test('a demoted staff member loses access at once, not when the token expires', async (t) => {
  const h = await harness(t);
  const admin = await h.user('admin');
  const staff = await h.user('staff');
  const list = () => h.app.inject({ method: 'GET', url: '/v1/admin/orders', headers: staff.auth });
  t.equal((await list()).statusCode, 200);
  const demote = await h.app.inject({
    method: 'PATCH',
    url: `/v1/admin/users/${staff.id}/role`,
    headers: admin.auth,
    payload: { role: 'customer' },
  });
  t.equal(demote.statusCode, 200);
  // A role change ends the account's sessions, and access tokens die with their session.
  const after = await list();
  t.equal(after.statusCode, 401, 'same token, now refused');
  t.equal(after.json().error.code, 'TOKEN_REVOKED');
  const refresh = await h.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: staff.refreshToken } });
  t.equal(refresh.statusCode, 401, 'their sessions were ended');
  const [audit] = await h.sql<{ from_role: string; to_role: string; actor_id: string }>(
    'SELECT from_role, to_role, actor_id FROM role_changes WHERE user_id = $1',
    [staff.id],
  );
  t.same(audit, { from_role: 'staff', to_role: 'customer', actor_id: admin.id }, 'role change audited');
  const self = await h.app.inject({
    method: 'PATCH',
    url: `/v1/admin/users/${admin.id}/role`,
    headers: admin.auth,
    payload: { role: 'customer' },
  });
  t.equal(self.json().error.code, 'CANNOT_CHANGE_OWN_ROLE');
});
