/**
 * The demo product photos the build ships: one drawing per leaf category of the seed's catalog; every
 * path the seed stores, and its srcset siblings, in dist/ as a WebP of its stated width; small; and
 * under a set name that matches the drawings, so caching them for a year is safe. The browser side
 * (srcset, lazy loading) is in media.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCatalog, LEAF_CATEGORIES } from '@dhakacart/api/testing';
import sharp from 'sharp';
import t from 'tap';
import { DEMO_IMAGE_SET, DEMO_IMAGE_WIDTHS, demoImageSrcSet } from '../../services/api/src/seed/product-images.ts';
import { DRAWINGS } from '../images/art.ts';
import { artDigest, demoImages } from '../images/build.ts';
import { ensureBuilt, webRoot } from './helpers/storefront.ts';

/** Bytes a shopper downloads per photo, on average over all of them, by width. */
const BUDGET_AVERAGE_BYTES: Record<number, number> = { 320: 5 * 1024, 640: 10 * 1024 };
const BUDGET_LARGEST_BYTES = 16 * 1024;

t.test('one drawing for every leaf category of the catalog, and no other', async (t) => {
  t.same(Object.keys(DRAWINGS).sort(), LEAF_CATEGORIES.map((c) => c.slug).sort());
});

t.test('the photos’ set name is the digest of the drawings as they are now', async (t) => {
  t.equal(
    DEMO_IMAGE_SET,
    artDigest(),
    `a drawing or its rendering changed: set DEMO_IMAGE_SET to '${artDigest()}' in services/api/src/seed/product-images.ts, so cached photos are not shown for the new ones`,
  );
});

t.test('the build ships every photo the seed points at, in every width, as small WebP files', async (t) => {
  await ensureBuilt();
  const dist = join(webRoot, 'dist');
  const seeded = new Set(generateCatalog().products.flatMap((p) => p.images));
  const candidates = [...seeded].flatMap((path) =>
    (demoImageSrcSet(path) ?? `${path} ?`).split(', ').map((c) => c.split(' ')[0] as string),
  );
  t.ok(
    candidates.length >= seeded.size * DEMO_IMAGE_WIDTHS.length,
    `${seeded.size} photos in the catalog, ${candidates.length} files with their widths`,
  );
  t.same(
    candidates.filter((path) => !existsSync(join(dist, path))),
    [],
    'every photo the seed stores, and every srcset candidate, is in the build',
  );

  const bytes = new Map<number, number[]>(DEMO_IMAGE_WIDTHS.map((w) => [w, []]));
  const wrong: string[] = [];
  for (const image of demoImages()) {
    const file = readFileSync(join(dist, image.path));
    bytes.get(image.width)?.push(file.length);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    if (info.width !== image.width || info.height !== image.width) wrong.push(`${image.path}: ${info.width}×${info.height}`);
    // A studio shot: the corners are the light backdrop (a drawing off the canvas or a compositing fault shows here first).
    for (const [x, y] of [
      [0, 0],
      [info.width - 1, 0],
      [0, info.height - 1],
      [info.width - 1, info.height - 1],
    ] as const) {
      const at = (y * info.width + x) * info.channels;
      if (Math.min(data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0) < 200) wrong.push(`${image.path}: dark corner at ${x},${y}`);
    }
    if (file.length > BUDGET_LARGEST_BYTES) wrong.push(`${image.path}: ${file.length} bytes`);
    if (file.subarray(0, 4).toString() !== 'RIFF' || file.subarray(8, 12).toString() !== 'WEBP') wrong.push(`${image.path}: not WebP`);
  }
  t.same(wrong, [], 'each photo is a WebP of its width, on a light backdrop, under 16 KB');
  for (const [width, sizes] of bytes) {
    const average = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    t.ok(
      average < (BUDGET_AVERAGE_BYTES[width] ?? 0),
      `${sizes.length} photos ${width} px wide: ${(average / 1024).toFixed(1)} KB on average`,
    );
  }
  const total = [...bytes.values()].flat().reduce((a, b) => a + b, 0);
  t.comment(`all demo photos: ${(total / 1024).toFixed(0)} KB in ${demoImages().length} files`);
});
