/**
 * Checkout outcomes as a shopper sees them, in real headless Chromium against the real API:
 * a declined payment and a timed-out one are shown clearly and the cart is kept; an item that
 * sells out while the shopper is paying is named; an answer lost on the network is retried with
 * the same Idempotency-Key, so the shop never takes a second order.
 */
import pg from 'pg';
import type { Page } from 'playwright-core';
import t from 'tap';
import { login, type Shop, screenshot, startShop } from './helpers/storefront.ts';

interface Product {
  id: number;
  slug: string;
  name: string;
  stock: number;
}

let shop: Shop;
let products: Product[];

t.before(async () => {
  shop = await startShop(t);
  const res = await fetch(`${shop.apiUrl}/v1/products?category=smartphones&inStock=true&sort=price_asc&limit=50`);
  products = ((await res.json()) as { items: Product[] }).items.filter((p) => p.stock >= 10);
  if (products.length < 4) throw new Error('seed has too few smartphones in stock');
});

/** A signed-in customer with one product in the cart, on the checkout page with the form filled in. */
async function atCheckout(product: Product, width = 1280): Promise<{ page: Page; keys: string[] }> {
  const customer = await shop.user('customer');
  const { page } = await shop.shopper(width);
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/checkout') keys.push(r.headers()['idempotency-key'] ?? '');
  });
  await page.goto(`/p/${product.slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart').waitFor();
  await login(page, customer.email, customer.password);
  await page.goto('/checkout');
  await page.getByLabel('Mobile number').fill('01812345678');
  await page.getByLabel('Address').fill('Flat 3B, 27 Kemal Ataturk Avenue, Banani');
  await page.getByLabel('City').fill('Dhaka');
  return { page, keys };
}

async function orderCount(): Promise<number> {
  const client = new pg.Client({ connectionString: shop.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM orders');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

t.test('a declined payment is shown clearly, the cart is kept, and paying again works with a new key', async (t) => {
  const { page, keys } = await atCheckout(products[0] as Product, 360);
  await page.getByLabel('Sandbox payment outcome').selectOption('decline');
  await page.getByRole('button', { name: /Place order and pay/ }).click();
  const alert = page.getByTestId('checkout-failure');
  await alert.waitFor();
  t.match(await alert.textContent(), /Payment declined.*not been charged/, 'the shopper is told the payment was declined and not charged');
  t.equal(await page.getByTestId('cart-count').textContent(), '1', 'the cart is kept');
  t.equal(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    'no horizontal scroll',
  );
  await screenshot(page, 'checkout-declined-360');

  await page.getByLabel('Sandbox payment outcome').selectOption('success');
  await page.getByRole('button', { name: /Place order and pay/ }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  await page.getByText('Order placed').waitFor();
  t.equal(keys.length, 2);
  t.not(keys[0], keys[1], 'a new attempt after a definite decline uses a new Idempotency-Key');
});

t.test('a payment timeout is shown clearly', async (t) => {
  const { page } = await atCheckout(products[1] as Product);
  await page.getByLabel('Sandbox payment outcome').selectOption('timeout');
  await page.getByRole('button', { name: /Place order and pay/ }).click();
  const alert = page.getByTestId('checkout-failure');
  await alert.waitFor();
  t.match(await alert.textContent(), /Payment timed out.*not been charged/);
  t.equal(await page.getByTestId('cart-count').textContent(), '1', 'the cart is kept');
});

t.test('an item sold out while the shopper is checking out is named, with a way back to the cart', async (t) => {
  const product = products[2] as Product;
  const { page } = await atCheckout(product, 360);
  const staff = await shop.asStaff();
  const res = await staff(`/v1/admin/products/${product.id}/stock-adjustments`, {
    method: 'POST',
    body: { setTo: 0, reason: 'sold in shop' },
  });
  t.equal(res.status, 201, 'staff sold the last units elsewhere');

  await page.getByRole('button', { name: /Place order and pay/ }).click();
  const alert = page.getByTestId('checkout-failure');
  await alert.waitFor();
  const text = await alert.textContent();
  t.match(text, 'Sold out while you were checking out');
  t.match(text, `${product.name}: 0 left, you asked for 1`, 'the sold-out item is named');
  await screenshot(page, 'checkout-sold-out-360');
  await alert.getByRole('link', { name: 'Review your cart' }).click();
  await page.getByTestId('cart-line').waitFor();
  t.match(await page.getByTestId('cart-line').textContent(), 'Not available in this quantity', 'the cart marks the item');
  t.equal(await page.getByRole('link', { name: 'Go to checkout' }).count(), 0, 'checkout is not offered for an unavailable cart');
});

t.test('an answer lost on the network is retried with the same Idempotency-Key: one order, not two', async (t) => {
  const before = await orderCount();
  const { page, keys } = await atCheckout(products[3] as Product);
  let lost = false;
  // The first request reaches the API and the order is placed, but the answer never arrives.
  await page.route('**/v1/checkout', async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch({ timeout: 20_000 });
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: /Place order and pay/ }).click();
  const alert = page.getByTestId('checkout-failure');
  await alert.waitFor();
  t.match(await alert.textContent(), /not confirmed.*Try again/);
  const retry = page.getByRole('button', { name: 'Try again' });
  await retry.waitFor();
  await retry.click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  await page.getByText('Order placed').waitFor();
  t.equal(keys.length, 2, 'two attempts were sent');
  t.equal(keys[0], keys[1], 'the retry reused the Idempotency-Key');
  t.equal((await orderCount()) - before, 1, 'exactly one order was created');
});

t.test('when the API fails the shopper gets a clear message and a retry, not a blank page', async (t) => {
  const { page } = await shop.shopper(360);
  let failures = 0;
  await page.route('**/v1/products?**', async (route) => {
    if (failures < 3) {
      failures += 1;
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'SERVICE_UNAVAILABLE', message: 'The shop is busy, please try again.', requestId: 'req-1' },
        }),
      });
    }
    return route.continue();
  });
  await page.goto('/c/smartphones');
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  t.match(await alert.textContent(), /Something went wrong.*The shop is busy.*req-1/, 'the API message and its reference are shown');
  await screenshot(page, 'api-error-360');
  await page.route('**/v1/products?**', (route) => route.continue());
  await alert.getByRole('button', { name: 'Retry' }).click();
  await page.locator('.card').first().waitFor();
  t.pass('Retry loads the products');

  await page.unrouteAll();
  await page.route('**/v1/products/**', (route) => route.abort('timedout'));
  await page.goto(`/p/${products[0]?.slug}`);
  await page.getByRole('alert').getByText('We could not reach the shop.').waitFor();
  t.pass('a network failure is explained too');
});

t.test('a read refused once (503 with Retry-After) is retried by itself: the shopper sees no error', async (t) => {
  const { page } = await shop.shopper(1280);
  let refused = 0;
  await page.route('**/v1/products?**', (route) => {
    if (refused > 0) return route.continue();
    refused += 1;
    return route.fulfill({
      status: 503,
      headers: { 'retry-after': '1' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy', requestId: 'r' } }),
    });
  });
  await page.goto('/c/smartphones');
  await page.locator('.card').first().waitFor();
  t.equal(refused, 1, 'the first answer was a 503');
  t.equal(await page.getByRole('alert').count(), 0, 'no error was shown');
});

t.test('an add to cart refused once (503 during a flash sale) is retried by itself: the item lands in the cart', async (t) => {
  const { page } = await shop.shopper(1280);
  let refused = 0;
  await page.route('**/v1/cart/items/**', (route) => {
    if (route.request().method() !== 'PUT' || refused > 0) return route.continue();
    refused += 1;
    return route.fulfill({
      status: 503,
      headers: { 'retry-after': '1' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'busy', requestId: 'r' } }),
    });
  });
  await page.goto('/c/smartphones');
  await page.locator('.card').first().click();
  await page.getByRole('button', { name: /add to cart/i }).click();
  await page.getByText('Added to cart').first().waitFor({ timeout: 10_000 });
  t.equal(refused, 1, 'the first PUT was a 503');
  t.equal(await page.getByRole('alert').count(), 0, 'no error was shown');
});

t.test('an expired access token is refreshed without the shopper noticing', async (t) => {
  const customer = await shop.user('customer');
  const { page } = await shop.shopper(1280);
  await page.goto('/');
  await login(page, customer.email, customer.password);
  let expired = false;
  const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/auth/refresh', { timeout: 20_000 });
  // The first orders call answers as the API does for an expired token.
  await page.route('**/v1/orders?**', (route) => {
    if (expired) return route.continue();
    expired = true;
    return route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'TOKEN_EXPIRED', message: 'access token expired', requestId: 'r' } }),
    });
  });
  await page.getByRole('link', { name: 'My orders' }).click();
  t.equal((await refreshed).status(), 200, 'the client refreshed the session');
  await page.getByText('You have not ordered anything yet.').waitFor();
  t.ok(expired, 'the request that failed with 401 was repeated and succeeded');
  await page.reload();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  t.pass('the session survives a reload (rotated refresh token stored)');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  t.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'after logout a reload stays logged out');
});

t.test('a paid order can be cancelled by the shopper; someone else cannot see it', async (t) => {
  const { page } = await atCheckout(products[4] ?? (products[0] as Product));
  await page.getByRole('button', { name: /Place order and pay/ }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  const orderUrl = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByTestId('order-status').getByText('Cancelled').waitFor();
  t.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0, 'a cancelled order offers no cancel button');

  const other = await shop.user('customer');
  const stranger = (await shop.shopper(360)).page;
  await stranger.goto('/');
  await login(stranger, other.email, other.password);
  await stranger.goto(orderUrl);
  await stranger.getByRole('alert').getByText('Page not found').waitFor();
  t.pass("another customer's order is not found");
});

t.test('two tabs refreshing at the same moment stay signed in (rotating refresh tokens are not reused)', async (t) => {
  const customer = await shop.user('customer');
  const { context, page: first } = await shop.shopper(1280);
  await first.goto('/');
  await login(first, customer.email, customer.password);
  const second = await context.newPage();
  const third = await context.newPage();
  // Three tabs start together: each restores the session from the one stored refresh token.
  await Promise.all([first.goto('/orders'), second.goto('/orders'), third.goto('/orders')]);
  for (const tab of [first, second, third]) {
    await tab.getByText('You have not ordered anything yet.').waitFor();
  }
  t.pass('every tab restored the session');
  await first.reload();
  await first.getByText('You have not ordered anything yet.').waitFor();
  t.equal(await first.getByRole('button', { name: 'Log out' }).count(), 1, 'the token family was not revoked');
});
