import { LEAF_CATEGORIES, TOP_CATEGORIES } from './catalog-data.js';
import { DEMO_IMAGE_FINISHES, type DemoImageFinish, demoImagePath } from './product-images.js';

export interface SeedCategory {
  slug: string;
  name: string;
  parentSlug: string | null;
}
export interface SeedProduct {
  sku: string;
  slug: string;
  name: string;
  brand: string;
  categorySlug: string;
  description: string;
  specs: Record<string, string>;
  pricePoisha: number;
  compareAtPoisha: number | null;
  stock: number;
  images: string[];
  featured: boolean;
}

/** mulberry32: tiny, seedable, good enough to make the demo catalog the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const skuPart = (s: string) =>
  s
    .toUpperCase()
    .replace(/\+/g, 'P')
    .replace(/[^A-Z0-9]+/g, '')
    .slice(0, 14);
/** The photo finish that looks like a product's colour (its first word: "Blue Flower", "Black Glass"). */
const FINISH_OF_COLOUR: Record<string, DemoImageFinish> = {
  black: 'graphite',
  grey: 'graphite',
  brown: 'graphite',
  silver: 'silver',
  white: 'silver',
  ivory: 'silver',
  blue: 'blue',
  green: 'blue',
  purple: 'blue',
  red: 'red',
};

/** FNV-1a: a product without a colour gets the same finish on every machine. */
function hash(text: string) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A product's photos: its category's drawing, first in the finish of its colour (a blue phone shows
 * blue), then in the other finishes, `count` in all (at most one per finish).
 */
export function demoImagesFor(product: { slug: string; categorySlug: string; colour: string }, count: number): string[] {
  const finishes = DEMO_IMAGE_FINISHES;
  const own = FINISH_OF_COLOUR[product.colour.split(' ')[0]?.toLowerCase() ?? ''];
  const first = own ? finishes.indexOf(own) : hash(product.slug) % finishes.length;
  return Array.from({ length: Math.min(count, finishes.length) }, (_, i) =>
    demoImagePath(product.categorySlug, finishes[(first + i) % finishes.length] as DemoImageFinish),
  );
}

/** Shops price at ...99 or ...50 Taka; poisha are always whole Taka here. */
const shopPrice = (taka: number) => (taka >= 1000 ? Math.round(taka / 50) * 50 - 1 : Math.round(taka / 10) * 10) * 100;

/**
 * Every (brand, model line, variant, colour) of each leaf category becomes a
 * product, so the catalog is as varied as a real shop's (over 2,000 SKUs)
 * without any of it being made up at random except stock, discounts and the
 * featured flag, which come from a seeded generator.
 */
export function generateCatalog(seed = 2026): { categories: SeedCategory[]; products: SeedProduct[] } {
  const random = prng(seed);
  const categories: SeedCategory[] = [
    ...TOP_CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, parentSlug: null })),
    ...LEAF_CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, parentSlug: c.parent })),
  ];
  const products: SeedProduct[] = [];
  const seen = new Set<string>();
  const skus = new Set<string>();
  for (const leaf of LEAF_CATEGORIES) {
    const prices = Object.values(leaf.brands)
      .flat()
      .map((l) => l.price)
      .sort((a, b) => a - b);
    for (const [brand, lines] of Object.entries(leaf.brands)) {
      for (const [lineIndex, line] of lines.entries()) {
        // A budget phone is not sold with 12/512 GB, nor a flagship with 4/64: offer the three variants of its tier.
        const tier = prices.indexOf(line.price) / prices.length;
        const variants =
          leaf.variants.length > 3
            ? leaf.variants.slice(Math.round(tier * (leaf.variants.length - 3)), Math.round(tier * (leaf.variants.length - 3)) + 3)
            : leaf.variants;
        const colours =
          leaf.colours.length > 3 ? [0, 1, 2].map((i) => leaf.colours[(lineIndex + i) % leaf.colours.length] as string) : leaf.colours;
        for (const variant of variants) {
          for (const colour of colours) {
            const name = [
              `${brand} ${line.model}`,
              variant.label !== 'Standard' && leaf.variants.length > 1 ? `(${variant.label})` : '',
              colour,
            ]
              .filter(Boolean)
              .join(' ');
            const slug = slugify(name);
            if (seen.has(slug)) continue;
            seen.add(slug);
            let sku = [leaf.code, skuPart(brand), skuPart(line.model), variant.code, colour ? skuPart(colour).slice(0, 3) : '']
              .filter(Boolean)
              .join('-');
            for (let n = 2; skus.has(sku); n++) sku = `${sku.replace(/-\d+$/, '')}-${n}`;
            skus.add(sku);
            const price = shopPrice(line.price * variant.factor * (0.97 + random() * 0.06));
            const discounted = random() < 0.2;
            const stockRoll = random();
            const specs: Record<string, string> = {
              Brand: brand,
              Model: line.model,
              ...leaf.specs(line.model, brand),
              ...variant.specs,
              ...(colour ? { Colour: colour } : {}),
            };
            products.push({
              sku,
              slug,
              name,
              brand,
              categorySlug: leaf.slug,
              description:
                `${brand} ${line.model} ${variant.label !== 'Standard' ? variant.label : ''}${colour ? ` in ${colour.toLowerCase()}` : ''}: ${leaf.blurb}. Genuine product with cash on delivery or bKash payment, delivered across Dhaka in 24 hours.`.replace(
                  /\s+/g,
                  ' ',
                ),
              specs,
              pricePoisha: price,
              compareAtPoisha: discounted ? shopPrice((price / 100) * (1.08 + random() * 0.17)) : null,
              stock: stockRoll < 0.05 ? 0 : stockRoll < 0.15 ? 1 + Math.floor(random() * 5) : 5 + Math.floor(random() * 196),
              // The colour may come from the variant (earbuds in blue): the one in the specs is the product's.
              images: demoImagesFor({ slug, categorySlug: leaf.slug, colour: specs.Colour ?? '' }, 1 + Math.floor(random() * 4)),
              featured: random() < 0.03,
            });
          }
        }
      }
    }
  }
  return { categories, products };
}
