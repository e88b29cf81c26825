/**
 * Staff and admin pages in real headless Chromium against the real API: staff change stock and
 * shoppers see it; staff move an order along; an admin changes a role; customers cannot reach
 * any of it (no link, a refusal page, and not one /v1/admin request from their browser).
 */
import t from 'tap';
import { horizontalOverflow, login, type Shop, screenshot, startShop, unlabelledFields } from './helpers/storefront.ts';

interface Product {
  id: number;
  sku?: string;
  slug: string;
  name: string;
  stock: number;
}

let shop: Shop;

t.before(async () => {
  shop = await startShop(t);
});

async function productInStock(offset: number): Promise<Product & { sku: string }> {
  const list = await fetch(`${shop.apiUrl}/v1/products?category=laptops&inStock=true&sort=name_asc&limit=20`);
  const pick = ((await list.json()) as { items: Product[] }).items.filter((p) => p.stock >= 10)[offset];
  if (!pick) throw new Error('no laptop in stock');
  const detail = await fetch(`${shop.apiUrl}/v1/products/${pick.slug}`);
  return (await detail.json()) as Product & { sku: string };
}

t.test('staff set stock in the staff pages and the shopper sees it', async (t) => {
  const product = await productInStock(0);
  const staff = await shop.user('staff');
  const shopper = (await shop.shopper(360)).page;
  await shopper.goto(`/p/${product.slug}`);
  await shopper.getByRole('button', { name: 'Add to cart' }).waitFor();
  t.match(await shopper.getByTestId('stock-state').textContent(), /In stock|left/);

  const { page } = await shop.shopper(1280);
  await page.goto('/');
  await login(page, staff.email, staff.password);
  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByRole('heading', { name: 'Products & stock' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'staff (not admin) get no user management');
  await page.getByLabel('Find by name or SKU').fill(product.sku);
  await page.getByLabel('Find by name or SKU').press('Enter');
  const row = page.getByTestId(`admin-product-${product.slug}`);
  await row.waitFor();
  t.equal(await page.locator('tbody tr').count(), 1, 'search by SKU finds the product');
  t.same(await unlabelledFields(page), [], 'every stock field is labelled');
  await row.getByLabel(/Set stock/).fill('0');
  await row.getByLabel('Reason').fill('damaged in the warehouse');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.getByText('Saved').waitFor();
  t.match(await row.textContent(), '(now 0)');
  await screenshot(page, 'admin-stock-1280');

  await shopper.reload();
  await shopper.getByTestId('stock-state').getByText('Out of stock').waitFor();
  t.ok(await shopper.getByRole('button', { name: 'Out of stock' }).isDisabled(), 'the shopper cannot add a sold-out product');

  await row.getByLabel(/Set stock/).fill('3');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.getByText('(now 3)').waitFor();
  await shopper.reload();
  await shopper.getByTestId('stock-state').getByText('Only 3 left').waitFor();
  t.pass('the shopper sees the new stock at once');

  const phone = (await shop.shopper(360)).page;
  await phone.goto('/');
  await login(phone, staff.email, staff.password);
  await phone.goto('/admin');
  await phone
    .getByTestId(/admin-product-/)
    .first()
    .waitFor();
  t.equal(await horizontalOverflow(phone), 0, 'staff pages do not scroll sideways at 360 px (tables scroll in their box)');
  await screenshot(phone, 'admin-stock-360');
});

t.test('staff move a paid order to processing', async (t) => {
  const product = await productInStock(1);
  const customer = await shop.user('customer');
  const session = (await (
    await fetch(`${shop.apiUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: customer.email, password: customer.password }),
    })
  ).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
  await fetch(`${shop.apiUrl}/v1/cart/items/${product.id}`, { method: 'PUT', headers: auth, body: JSON.stringify({ quantity: 1 }) });
  const placed = await fetch(`${shop.apiUrl}/v1/checkout`, {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': `staff-test-${Date.now()}` },
    body: JSON.stringify({
      shipping: { name: 'Karim Ahmed', phone: '01912345678', address: 'Road 11, Uttara', city: 'Dhaka' },
      payment: { provider: 'sslcommerz' },
    }),
  });
  t.equal(placed.status, 201);
  const order = (await placed.json()) as { id: string; number: number };

  const staff = await shop.user('staff');
  const { page } = await shop.shopper(1280);
  await page.goto('/');
  await login(page, staff.email, staff.password);
  await page.goto('/admin/orders');
  const row = page.locator('tr', { hasText: `#${order.number}` });
  await row.waitFor();
  t.match(await row.textContent(), 'Paid');
  await row.getByRole('button', { name: 'Mark processing' }).click();
  await row.getByText('Processing').waitFor();
  await screenshot(page, 'admin-orders-1280');

  const mine = await fetch(`${shop.apiUrl}/v1/orders/${order.id}`, { headers: auth });
  t.equal(((await mine.json()) as { status: string }).status, 'processing', 'the customer sees the new status');
});

t.test('an admin changes a role', async (t) => {
  const admin = await shop.user('admin');
  const target = await shop.user('customer');
  const { page } = await shop.shopper(1280);
  await page.goto('/');
  await login(page, admin.email, admin.password);
  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByRole('link', { name: 'Users' }).click();
  const select = page.getByLabel(`Role of ${target.email}`);
  await select.waitFor();
  const patched = page.waitForResponse((r) => r.url().endsWith(`/v1/admin/users/${target.id}/role`) && r.request().method() === 'PATCH');
  await select.selectOption('staff');
  t.equal((await patched).status(), 200);
  await page.reload();
  await page.getByLabel(`Role of ${target.email}`).waitFor();
  t.equal(await page.getByLabel(`Role of ${target.email}`).inputValue(), 'staff', 'the new role is stored');
});

t.test('a customer cannot reach the staff pages', async (t) => {
  const customer = await shop.user('customer');
  const { page } = await shop.shopper(360);
  const adminCalls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/v1/admin')) adminCalls.push(r.url());
  });
  await page.goto('/admin');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  t.match(page.url(), /\/login\?next=%2Fadmin$/, 'a guest is sent to log in');
  await page.getByLabel('Email').fill(customer.email);
  await page.getByLabel('Password').fill(customer.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Staff only' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'Staff' }).count(), 0, 'no staff link for customers');
  for (const path of ['/admin/orders', '/admin/users', '/admin/products']) {
    await page.goto(path);
    await page.getByRole('heading', { name: 'Staff only' }).waitFor();
  }
  t.same(adminCalls, [], 'the browser never called a staff endpoint');
  await screenshot(page, 'admin-refused-360');
});
