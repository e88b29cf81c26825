/**
 * The main shopper journey in real headless Chromium against the real API and database:
 * browse → search with a typo → add to cart as a guest → the cart survives a reload → log in
 * (the guest cart merges) → check out with the keyboard only → see the order. Screenshots of the
 * main pages at phone (360 px) and desktop (1280 px) widths go to .cache/screenshots/ (`make screenshots` refreshes docs/screenshots/).
 */
import t from 'tap';
import {
  horizontalOverflow,
  login,
  type Shop,
  screenshot,
  startShop,
  unlabelledFields,
  wordsBrokenAcrossLines,
} from './helpers/storefront.ts';

interface Product {
  id: number;
  slug: string;
  name: string;
  brand: string;
  pricePoisha: number;
  stock: number;
}

let shop: Shop;
let product: Product;

t.before(async () => {
  shop = await startShop(t);
  const res = await fetch(`${shop.apiUrl}/v1/products?q=samsung%20galaxy&inStock=true&limit=20`);
  const items = ((await res.json()) as { items: Product[] }).items;
  const pick = items.find((p) => p.stock >= 5);
  if (!pick) throw new Error('seed has no Samsung Galaxy with stock >= 5');
  product = pick;
});

t.test('browse → search (typo) → guest cart → login merges → keyboard checkout → the order', async (t) => {
  const customer = await shop.user('customer');
  const { page } = await shop.shopper(1280);
  const checkoutRequests: string[] = [];
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/checkout') checkoutRequests.push(r.headers()['idempotency-key'] ?? '');
  });

  await page.goto('/');
  await page.getByRole('heading', { name: 'Shop by category' }).waitFor();
  await page.locator('#featured-h + [data-testid=product-grid] .card').first().waitFor();
  await page.getByRole('link', { name: 'Mobiles & Tablets' }).waitFor();
  await page.locator('#deals-h + [data-testid=product-grid] .card').first().waitFor();
  t.ok(await page.locator('.card').count(), 'home shows featured and discounted products');
  t.match(await page.locator('.price strong').first().textContent(), /^৳\d{1,2}(,\d\d)*(,\d{3})?$|^৳\d{1,3}$/, 'prices in Taka');
  await screenshot(page, 'home-1280');

  await page.getByRole('link', { name: 'Mobiles & Tablets' }).click();
  await page.getByRole('heading', { name: 'Mobiles & Tablets' }).waitFor();
  await page.locator('.card').first().waitFor();
  t.ok(await page.locator('.card').count(), 'category page lists products');
  await screenshot(page, 'category-1280');

  // "samsng" is a typo: the trigram match must still find Samsung phones.
  await page.getByLabel('Search products').fill('samsng galaxy');
  await page.getByLabel('Search products').press('Enter');
  await page.getByRole('heading', { name: 'Results for “samsng galaxy”' }).waitFor();
  await page.locator('.card').first().waitFor();
  const brands = await page.locator('.card-brand').allTextContents();
  t.ok(brands.length > 0 && brands.every((b) => b === 'Samsung'), `typo search finds Samsung products (${brands.length})`);
  await screenshot(page, 'search-1280');

  await page.goto(`/p/${product.slug}`);
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  t.equal(await page.getByTestId('stock-state').textContent(), product.stock > 5 ? 'In stock' : `Only ${product.stock} left`);
  await screenshot(page, 'product-1280');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart').waitFor();
  t.equal(await page.getByTestId('cart-count').textContent(), '1', 'cart badge counts the item');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=cart-count]')?.textContent === '1', undefined, { timeout: 15_000 });
  t.pass('the guest cart survives a reload');

  await login(page, customer.email, customer.password);
  await page.goto('/cart');
  await page.getByTestId('cart-line').first().waitFor();
  t.equal(await page.getByTestId('cart-line').count(), 1, 'the guest cart merged into the account at login');
  t.match(await page.getByTestId('cart-line').textContent(), product.name);
  await screenshot(page, 'cart-1280');

  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  t.same(await unlabelledFields(page), [], 'every checkout field has a label');

  // Keyboard only: Tab through the form, type, and submit with Enter.
  await page.getByLabel('Full name').focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Rahim Uddin');
  await page.keyboard.press('Tab');
  await page.keyboard.type('01712345678');
  await page.keyboard.press('Tab');
  await page.keyboard.type('House 12, Road 5, Dhanmondi');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Dhaka');
  await page.keyboard.press('Tab'); // payment provider (bKash)
  t.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), 'bkash', 'Tab reaches the payment method');
  await page.keyboard.press('Tab'); // sandbox outcome
  await page.keyboard.press('Tab'); // the submit button
  t.match(await page.evaluate(() => document.activeElement?.textContent), /Place order and pay ৳/, 'Tab reaches the order button');
  await screenshot(page, 'checkout-1280');

  // Two submits in the same frame (a double click, Enter pressed twice): one request only.
  await page.evaluate(() => {
    const form = document.querySelector('.checkout form') as HTMLFormElement;
    form.requestSubmit();
    form.requestSubmit();
  });
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}\?placed=1$/, { timeout: 15_000 });
  await page.getByText('Order placed').waitFor();
  t.equal(checkoutRequests.length, 1, 'a double submit sends one checkout request');
  t.equal(await page.getByTestId('order-status').textContent(), 'Paid');
  const total = await page.getByTestId('order-total').textContent();
  t.match(total, /^৳[\d,]+$/, `order total shown in Taka (${total})`);
  t.equal(await page.getByTestId('cart-count').textContent(), '0', 'the cart is empty after the order');
  await screenshot(page, 'order-1280');

  await page.getByRole('link', { name: 'My orders' }).first().click();
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
  await page.locator('.order-row').first().waitFor();
  t.equal(await page.locator('.order-row').count(), 1, 'the order is in the order history');
  t.match(await page.locator('.order-row').textContent(), /Paid/);
  t.same(problems, [], 'no uncaught errors and no Content-Security-Policy violations on the way');
});

t.test('phone width (360 px): no horizontal scroll, labelled fields, screenshots', async (t) => {
  const customer = await shop.user('customer');
  const { page } = await shop.shopper(360);
  const pages: [string, string, () => Promise<void>][] = [
    ['home-360', '/', () => page.getByRole('link', { name: 'Mobiles & Tablets' }).waitFor()],
    ['category-360', '/c/smartphones', () => page.locator('.card').first().waitFor()],
    ['search-360', '/search?q=samsng%20galaxy', () => page.locator('.card').first().waitFor()],
    ['product-360', `/p/${product.slug}`, () => page.getByRole('button', { name: 'Add to cart' }).waitFor()],
  ];
  for (const [name, path, ready] of pages) {
    await page.goto(path);
    await ready();
    t.equal(await horizontalOverflow(page), 0, `${path}: no horizontal scroll at 360 px`);
    t.same(await unlabelledFields(page), [], `${path}: every field is labelled`);
    await screenshot(page, name);
  }
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart').waitFor();
  await page.goto('/login');
  await page.getByLabel('Email').waitFor();
  t.equal(await horizontalOverflow(page), 0, '/login: no horizontal scroll at 360 px');
  await screenshot(page, 'login-360');
  await page.getByLabel('Email').fill(customer.email);
  await page.getByLabel('Password').fill(customer.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  for (const [name, path, ready] of [
    ['cart-360', '/cart', () => page.getByTestId('cart-line').first().waitFor()],
    ['checkout-360', '/checkout', () => page.getByLabel('Mobile number').waitFor()],
  ] as const) {
    await page.goto(path);
    await ready();
    t.equal(await horizontalOverflow(page), 0, `${path}: no horizontal scroll at 360 px`);
    t.same(await unlabelledFields(page), [], `${path}: every field is labelled`);
    t.same(await wordsBrokenAcrossLines(page), [], `${path}: no label or button breaks a word across lines`);
    await screenshot(page, name);
  }
});

t.test('filters: brand, price range and in-stock narrow the results and live in the URL', async (t) => {
  const { page } = await shop.shopper(1280);
  await page.goto('/c/smartphones');
  await page.locator('.card').first().waitFor();
  await page.getByText('Filters', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Samsung' }).check();
  await page.getByRole('checkbox', { name: 'Xiaomi' }).check();
  await page.getByLabel('Max price (৳)').fill('30,000');
  await page.getByLabel('In stock only').check();
  await page.getByLabel('Sort by').selectOption('price_desc');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/brand=Samsung&brand=Xiaomi&maxPrice=3000000&inStock=true&sort=price_desc/);
  await page.locator('.card').first().waitFor();
  const cards = await page.locator('.card').evaluateAll((els) =>
    els.map((el) => ({
      brand: el.querySelector('.card-brand')?.textContent ?? '',
      price: Number((el.querySelector('.price strong')?.textContent ?? '').replace(/[^\d]/g, '')),
      stock: el.querySelector('.stock')?.textContent ?? '',
    })),
  );
  t.ok(cards.length > 0, `${cards.length} results`);
  t.ok(
    cards.every((c) => ['Samsung', 'Xiaomi'].includes(c.brand)),
    'only the chosen brands',
  );
  t.ok(
    cards.every((c) => c.price <= 30_000),
    'nothing above ৳30,000',
  );
  t.ok(
    cards.every((c) => c.stock !== 'Out of stock'),
    'nothing out of stock',
  );
  t.same(
    cards.map((c) => c.price),
    [...cards.map((c) => c.price)].sort((a, b) => b - a),
    'sorted by price, high to low',
  );
  await page.reload();
  await page.locator('.card').first().waitFor();
  t.equal(await page.locator('.card').count(), cards.length, 'a reload shows the same filtered results');
  await page.getByText('Filters', { exact: true }).click();
  t.ok(await page.getByRole('checkbox', { name: 'Samsung' }).isChecked(), 'the form shows the filters in use');
  t.equal(await page.getByLabel('Max price (৳)').inputValue(), '30000');

  await page.goto('/c/smartphones?sort=name_asc');
  await page.locator('.card').first().waitFor();
  const firstPage = await page.locator('.card-name').allTextContents();
  await page.getByRole('button', { name: 'Show more' }).click();
  await page.locator('.card').nth(firstPage.length).waitFor();
  const both = await page.locator('.card-name').allTextContents();
  t.equal(new Set(both).size, both.length, `"Show more" appends the next page (${firstPage.length} → ${both.length}), no repeats`);
  t.same(both.slice(0, firstPage.length), firstPage, 'the first page stays in place');

  await page.goto('/search?q=zzqxv');
  await page.getByText('No products match').waitFor();
  t.pass('a search without results says so');
});

t.test('register: a new account keeps the guest cart', async (t) => {
  const { page } = await shop.shopper(360);
  await page.goto(`/p/${product.slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to cart').waitFor();
  await page.goto('/register');
  t.same(await unlabelledFields(page), [], 'every registration field is labelled');
  await page.getByLabel('Your name').fill('Nusrat Jahan');
  await page.getByLabel('Email').fill(`nusrat-${Date.now()}@example.test`);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await page.goto('/cart');
  await page.getByTestId('cart-line').waitFor();
  t.match(await page.getByTestId('cart-line').textContent(), product.name, 'the guest cart is now the account cart');
});

t.test('page basics: language, title, one h1, alt text, named buttons, no unlabelled fields', async (t) => {
  const { page } = await shop.shopper(1280);
  for (const path of ['/', '/c/smartphones', `/p/${product.slug}`, '/cart', '/login']) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    const report = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      description: document.querySelector('meta[name=description]')?.getAttribute('content') ?? '',
      h1: document.querySelectorAll('h1').length,
      imagesWithoutAlt: [...document.querySelectorAll('img')].filter((i) => !i.getAttribute('alt')).length,
      unnamedButtons: [...document.querySelectorAll('button, a[href]')].filter(
        (b) => !(b.textContent?.trim() || b.getAttribute('aria-label')),
      ).length,
    }));
    t.same(
      { ...report, description: report.description.length > 20 },
      { lang: 'en', title: 'DhakaCart', description: true, h1: 1, imagesWithoutAlt: 0, unnamedButtons: 0 },
      `${path}: basics`,
    );
    t.same(await unlabelledFields(page), [], `${path}: fields labelled`);
  }
  await page.goto('/');
  await page.locator('h1').first().waitFor();
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link');
  await page.keyboard.press('Enter');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to the content');
});
