/**
 * What a shopper sees before anything else loads: prices and product photos, in real Chromium against
 * the real API and database.
 * - The Taka sign (৳, U+09F3) is drawn by a font that has it even when the Bengali web font never
 *   arrives (every request for it blocked): no tofu box in front of a price, ever.
 * - Product cards and the product page show a real photo: the srcset candidate for the slot's width
 *   loaded, images below the fold wait until the shopper scrolls, and the Content-Security-Policy holds.
 */
import t from 'tap';
import { type Shop, startShop } from './helpers/storefront.ts';

let shop: Shop;

t.before(async () => {
  shop = await startShop(t);
});

/** The fonts Chromium really used to draw the text of the first element matching `selector` (CDP, after layout). */
async function platformFonts(page: import('playwright-core').Page, selector: string) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

t.test('a price’s ৳ is drawn by a font that has the glyph, even when the Bengali web font never arrives', async (t) => {
  const { context, page } = await shop.shopper(360);
  const blocked: string[] = [];
  await context.route(/noto-sans-bengali/i, (route) => {
    blocked.push(new URL(route.request().url()).pathname);
    return route.abort();
  });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  await page.goto('/');
  const price = page.locator('.card .price strong').first();
  await price.waitFor();
  // Every font load settled (the blocked ones failed), so what is measured is what stays on screen.
  await page.evaluate(() => document.fonts.ready);
  const text = (await price.textContent()) ?? '';
  t.match(text, /^৳[\d,]+$/, `the first card's price: ${text}`);
  const fonts = await platformFonts(page, '.card .price strong');
  t.comment(`fonts drawing "${text}": ${JSON.stringify(fonts)}`);
  const custom = fonts.filter((f) => f.isCustomFont);
  t.equal(
    custom.reduce((n, f) => n + f.glyphCount, 0),
    [...text].filter((c) => c === '৳').length,
    'the ৳ glyph comes from the storefront’s own font (not a system fallback, which has no ৳ here and shows a box)',
  );
  // A struck-through old price is regular weight: the other face.
  const was = page.locator('.price s').first();
  await was.waitFor();
  const wasFonts = await platformFonts(page, '.price s');
  t.ok(
    wasFonts.some((f) => f.isCustomFont && f.glyphCount === 1 && /Regular/.test(f.postScriptName)),
    `the regular-weight ৳ of an old price too: ${JSON.stringify(wasFonts)}`,
  );
  t.same(blocked, [], 'prices never need the Bengali web font: it is not even requested');
  t.same(problems, [], 'no Content-Security-Policy violation (the font is a data: URI in the stylesheet)');
});

interface Shown {
  path: string;
  naturalWidth: number;
  complete: boolean;
  loading: string;
  decoding: string;
  srcset: string;
  sizes: string;
  top: number;
}
const shown = (img: HTMLImageElement): Shown => ({
  path: img.currentSrc ? new URL(img.currentSrc).pathname : '',
  naturalWidth: img.naturalWidth,
  complete: img.complete,
  loading: img.loading,
  decoding: img.decoding,
  srcset: img.srcset,
  sizes: img.sizes,
  top: Math.round(img.getBoundingClientRect().top),
});

t.test('product cards and the product page show photos: the srcset candidate for their width, lazy below the fold', async (t) => {
  const { page } = await shop.shopper(360);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  const photos = new Map<string, { status: number; cache: string }>();
  const requested: string[] = [];
  const watch = (p: typeof page) =>
    p.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/images/')) photos.set(path, { status: r.status(), cache: r.headers()['cache-control'] ?? '' });
    });
  watch(page);
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));

  // Samsung from the cheapest up: chargers, earbuds, phones, monitors, ovens... many drawings on one page.
  await page.goto('/search?q=samsung&sort=price_asc');
  await page.locator('.card').nth(23).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.card img');
    return img?.complete && img.naturalWidth > 0;
  });
  const first = await page.locator('.card img').first().evaluate(shown);
  t.match(
    first.path,
    /^\/images\/demo\/[0-9a-f]{8}\/[a-z-]+-[a-z]+-320w\.webp$/,
    `the first card's photo is the 320 px one for a 180 px slot: ${first.path}`,
  );
  t.ok(first.naturalWidth > 0, 'and it decoded');
  t.match(first.srcset, /^\S+-320w\.webp 320w, \S+-640w\.webp 640w$/, 'two widths offered');
  t.same(
    [first.loading, first.decoding, first.sizes],
    ['lazy', 'async', '(min-width: 700px) 270px, 50vw'],
    'lazy, decoded off the main thread, sized',
  );
  t.equal(await page.locator('.card .placeholder').count(), 0, 'no lettered tiles');

  // Photos far below the fold whose picture no card above has shown yet (one already loaded is reused at once).
  const images = page.locator('.card img');
  const cards: Shown[] = [];
  for (let i = 0; i < (await images.count()); i++) cards.push(await images.nth(i).evaluate(shown));
  const seen = new Set(requested);
  const below = cards
    .map((card, index) => ({ ...card, index, candidates: card.srcset.split(', ').map((c) => c.split(' ')[0] ?? '') }))
    .filter((card) => card.top > 2500 && card.candidates.every((c) => !seen.has(c)));
  t.ok(
    below.length > 0,
    `${below.length} photos far below the fold (${below.map((c) => c.top).join(', ')} px) show pictures not yet fetched`,
  );
  t.same(
    below.filter((card) => card.complete || card.naturalWidth > 0 || requested.some((path) => card.candidates.includes(path))),
    [],
    'none of them is fetched before the shopper scrolls near it',
  );
  const target = below[0];
  if (target) {
    await page.locator('.card').nth(target.index).scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => {
      const img = document.querySelectorAll<HTMLImageElement>('.card img')[i];
      return img?.complete && img.naturalWidth > 0;
    }, target.index);
    const now = await page.locator('.card img').nth(target.index).evaluate(shown);
    t.ok(target.candidates.includes(now.path) && requested.includes(now.path), `scrolled to, it loads: ${now.path}`);
  }

  const { page: desktop } = await shop.shopper(1280);
  watch(desktop);
  const product = await page.locator('.card-link').first().getAttribute('href');
  await desktop.goto(product ?? '/');
  await desktop.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.gallery img');
    return img?.complete && img.naturalWidth > 0;
  });
  const large = await desktop.locator('.gallery img').evaluate(shown);
  t.match(
    large.path,
    /^\/images\/demo\/[0-9a-f]{8}\/[a-z-]+-[a-z]+-640w\.webp$/,
    `the product page's photo is the 640 px one for its 420 px slot: ${large.path}`,
  );
  t.equal(large.naturalWidth, 420, 'decoded, drawn 420 px wide');
  t.equal(large.loading, 'eager', 'loaded at once: it is the largest thing on screen');

  t.ok(photos.size >= 3, `${photos.size} photos fetched`);
  t.same(
    [...photos]
      .filter(([, r]) => r.status !== 200 || r.cache !== 'public, max-age=31536000, immutable')
      .map(([path, r]) => `${path} ${r.status} ${r.cache}`),
    [],
    'every photo answered 200 and may be cached for a year',
  );
  t.same(problems, [], 'no Content-Security-Policy violation');
});
