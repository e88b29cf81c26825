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
