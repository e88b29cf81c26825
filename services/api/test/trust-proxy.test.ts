/**
 * Whose address the API believes decides whose rate limit a request counts against. Behind the
 * ingress (TRUST_PROXY=1) only the address the ingress appended counts: a shopper cannot escape
 * the login limit by forging X-Forwarded-For, and shoppers behind one node are not lumped together.
 */
import t, { type Test } from 'tap';
import { harness } from './helpers/harness.js';

/** Failed logins through the ingress with these X-Forwarded-For headers; their status codes. */
async function logins(t: Test, trustProxy: string, forwardedFor: string[]) {
  const statuses: number[] = [];
  const h = await harness(t, { env: { TRUST_PROXY: trustProxy, LOGIN_RATE_LIMIT_PER_MINUTE: '2' } });
  for (const xff of forwardedFor) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: '10.42.1.7', // the ingress pod
      headers: { 'x-forwarded-for': xff },
      payload: { email: 'nobody@example.com', password: 'wrong' },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

t.test('TRUST_PROXY=1: the ingress-appended address counts, forged ones do not', async (t) => {
  // Three logins from one shopper (198.51.100.7) with a different forged first entry each time.
  t.same(
    await logins(t, '1', ['1.1.1.1, 198.51.100.7', '2.2.2.2, 198.51.100.7', '3.3.3.3, 198.51.100.7']),
    [401, 401, 429],
    'the third is over the limit of 2: forging did not help',
  );
});

t.test('TRUST_PROXY=1: two shoppers behind the same ingress have limits of their own', async (t) => {
  t.same(await logins(t, '1', ['198.51.100.7', '198.51.100.7', '203.0.113.9', '203.0.113.9']), [401, 401, 401, 401]);
});

t.test('TRUST_PROXY=true believes the whole chain, so a forged first entry escapes the limit', async (t) => {
  t.same(
    await logins(t, 'true', ['1.1.1.1, 198.51.100.7', '2.2.2.2, 198.51.100.7', '3.3.3.3, 198.51.100.7']),
    [401, 401, 401],
    'why the chart uses 1, not true',
  );
});
