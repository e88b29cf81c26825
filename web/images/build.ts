/**
 * The demo product photos as files: every drawing of art.ts in every finish, drawn once at the widest
 * width (librsvg), given its soft shadows (libvips blur), scaled down for the narrower widths and
 * encoded as WebP, all with sharp (libvips prebuilt for the platform). Encoded files are kept in
 * node_modules/.cache/demo-images, keyed by the drawing and the encoder's settings and version, so only
 * the first build after a drawing changes pays for them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  DEMO_IMAGE_FINISHES,
  DEMO_IMAGE_SET,
  DEMO_IMAGE_WIDTHS,
  type DemoImageFinish,
  type DemoImageWidth,
  demoImagePath,
} from '../../services/api/src/seed/product-images.ts';
import { DRAWINGS, productLayers } from './art.ts';

/** Settings that change the pictures: part of the digest (DEMO_IMAGE_SET) and of the cache key. Shadow sizes are in viewBox units (400). */
export const RENDER = {
  webp: { quality: 80, effort: 2 },
  floorBlur: 7,
  shadow: { blur: 6, dy: 5, opacity: 0.22 },
} as const;
const WIDEST = Math.max(...DEMO_IMAGE_WIDTHS);
const cacheDir = join(import.meta.dirname, '..', 'node_modules', '.cache', 'demo-images');

export interface DemoImage {
  /** The URL path, e.g. /images/demo/<set>/smartphones-blue-320w.webp. */
  path: string;
  category: string;
  finish: DemoImageFinish;
  width: DemoImageWidth;
}

export function demoImages(set = DEMO_IMAGE_SET): DemoImage[] {
  return Object.keys(DRAWINGS).flatMap((category) =>
    DEMO_IMAGE_FINISHES.flatMap((finish) =>
      DEMO_IMAGE_WIDTHS.map((width) => ({ path: demoImagePath(category, finish, width, set), category, finish, width })),
    ),
  );
}

function layersText(category: string, finish: DemoImageFinish): string {
  const { backdrop, floor, object } = productLayers(category, finish, WIDEST);
  return backdrop + floor + object;
}

/** What the pictures look like, as a short digest: DEMO_IMAGE_SET must equal it, so changed drawings get new URLs. */
export function artDigest(): string {
  const hash = createHash('sha256').update(JSON.stringify([RENDER, DEMO_IMAGE_WIDTHS]));
  for (const category of Object.keys(DRAWINGS))
    for (const finish of DEMO_IMAGE_FINISHES) hash.update(`${category}-${finish}`).update(layersText(category, finish));
  return hash.digest('hex').slice(0, 8);
}

const backdrops = new Map<DemoImageFinish, Promise<Buffer>>();

/** Backdrop, blurred floor shadow, the product's drop shadow and the product, composited at the widest width (raw RGB). */
async function compose(category: string, finish: DemoImageFinish): Promise<Buffer> {
  const size = WIDEST;
  const scale = size / 400;
  const rgba = { raw: { width: size, height: size, channels: 4 as const } };
  const layers = productLayers(category, finish, size);
  // Raw pixels between the steps: encoding intermediate PNGs took longer than drawing.
  if (!backdrops.has(finish)) backdrops.set(finish, sharp(Buffer.from(layers.backdrop)).ensureAlpha().raw().toBuffer());
  const [backdrop, floor, object] = await Promise.all([
    backdrops.get(finish) as Promise<Buffer>,
    sharp(Buffer.from(layers.floor))
      .blur(RENDER.floorBlur * scale)
      .raw()
      .toBuffer(),
    sharp(Buffer.from(layers.object)).ensureAlpha().raw().toBuffer(),
  ]);
  const dy = Math.round(RENDER.shadow.dy * scale);
  // The product's outline, faded and blurred, moved down a little: its shadow on the backdrop.
  const outline = await sharp(object, rgba)
    .extractChannel('alpha')
    .linear(RENDER.shadow.opacity, 0)
    .blur(RENDER.shadow.blur * scale)
    .raw()
    .toBuffer();
  const moved = Buffer.concat([Buffer.alloc(dy * size), outline.subarray(0, (size - dy) * size)]);
  const shadow = await sharp(Buffer.alloc(size * size * 3), { raw: { width: size, height: size, channels: 3 } })
    .joinChannel(moved, { raw: { width: size, height: size, channels: 1 } })
    .raw()
    .toBuffer();
  return sharp(backdrop, rgba)
    .composite([
      { input: floor, ...rgba },
      { input: shadow, ...rgba },
      { input: object, ...rgba },
    ])
    .removeAlpha()
    .raw()
    .toBuffer();
}

function cacheKey(category: string, finish: DemoImageFinish): string {
  return createHash('sha256')
    .update(JSON.stringify([sharp.versions, RENDER, DEMO_IMAGE_WIDTHS]))
    .update(layersText(category, finish))
    .digest('hex');
}

/** One drawing in one finish at every width, width → WebP bytes (from the cache when it was encoded the same way before). */
export async function renderDemoPhoto(category: string, finish: DemoImageFinish): Promise<Map<DemoImageWidth, Buffer>> {
  const key = cacheKey(category, finish);
  const cached = (width: number) => join(cacheDir, `${key}-${width}w.webp`);
  if (DEMO_IMAGE_WIDTHS.every((w) => existsSync(cached(w)))) return new Map(DEMO_IMAGE_WIDTHS.map((w) => [w, readFileSync(cached(w))]));
  const full = await compose(category, finish);
  const rgb = { raw: { width: WIDEST, height: WIDEST, channels: 3 as const } };
  const out = new Map<DemoImageWidth, Buffer>();
  for (const width of DEMO_IMAGE_WIDTHS) {
    const image = width === WIDEST ? sharp(full, rgb) : sharp(full, rgb).resize(width, width, { kernel: 'lanczos3' });
    out.set(width, await image.webp(RENDER.webp).toBuffer());
  }
  mkdirSync(cacheDir, { recursive: true });
  for (const [width, bytes] of out) writeFileSync(cached(width), bytes);
  return out;
}

/** Every photo, URL path → bytes; cache entries no photo uses any more are removed. */
export async function buildDemoImages(): Promise<Map<string, Buffer>> {
  const photos = Object.keys(DRAWINGS).flatMap((category) => DEMO_IMAGE_FINISHES.map((finish) => ({ category, finish })));
  const files = new Map<string, Buffer>();
  // libvips spreads each image over its own threads: two at a time keeps both cores busy.
  for (let i = 0; i < photos.length; i += 2) {
    const batch = photos.slice(i, i + 2);
    const rendered = await Promise.all(batch.map((p) => renderDemoPhoto(p.category, p.finish)));
    batch.forEach((p, j) => {
      for (const [width, bytes] of rendered[j] ?? []) files.set(demoImagePath(p.category, p.finish, width), bytes);
    });
  }
  const used = new Set(photos.flatMap((p) => DEMO_IMAGE_WIDTHS.map((w) => `${cacheKey(p.category, p.finish)}-${w}w.webp`)));
  for (const entry of existsSync(cacheDir) ? readdirSync(cacheDir) : [])
    if (!used.has(entry)) rmSync(join(cacheDir, entry), { force: true });
  return files;
}
