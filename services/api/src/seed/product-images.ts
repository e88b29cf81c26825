/**
 * The demo catalog's product photos: the one place that knows their paths, for the seed (which stores
 * them), the storefront's build (web/images/, which draws and encodes the files) and the storefront
 * (which builds `srcset` from a stored path).
 *
 * One drawing per leaf category in each finish, encoded as WebP at every width:
 *   /images/demo/<set>/<category>-<finish>-<width>w.webp
 * A stored path names the widest file. `<set>` is a digest of the drawings, so a changed drawing gets new
 * URLs and the files can be cached for a year; web/test/product-images.test.ts fails while it is stale.
 * No imports: the storefront bundles this file.
 */
export const DEMO_IMAGE_SET = 'e7b31a8a';
export const DEMO_IMAGE_WIDTHS = [320, 640] as const;
export type DemoImageWidth = (typeof DEMO_IMAGE_WIDTHS)[number];
export const DEMO_IMAGE_FINISHES = ['graphite', 'silver', 'blue', 'red'] as const;
export type DemoImageFinish = (typeof DEMO_IMAGE_FINISHES)[number];
/** Every demo set lives under here (and only demo photos do). */
export const DEMO_IMAGE_ROOT = '/images/demo/';

const WIDEST = DEMO_IMAGE_WIDTHS[DEMO_IMAGE_WIDTHS.length - 1] as DemoImageWidth;

export function demoImagePath(category: string, finish: DemoImageFinish, width: DemoImageWidth = WIDEST, set = DEMO_IMAGE_SET): string {
  return `${DEMO_IMAGE_ROOT}${set}/${category}-${finish}-${width}w.webp`;
}

const DEMO_IMAGE = new RegExp(
  `^${DEMO_IMAGE_ROOT}([0-9a-f]{8})/([a-z0-9]+(?:-[a-z0-9]+)*)-(${DEMO_IMAGE_FINISHES.join('|')})-(\\d+)w\\.webp$`,
);

/** A path to a demo photo of any set, older ones included (a database seeded before a drawing changed holds those). */
export function isDemoImagePath(path: string): boolean {
  return DEMO_IMAGE.test(path);
}

/** `srcset` for a demo photo of the current set, every width; undefined for any other image (an admin's own is shown as it is). */
export function demoImageSrcSet(path: string): string | undefined {
  const match = DEMO_IMAGE.exec(path);
  if (!match || match[1] !== DEMO_IMAGE_SET || Number(match[4]) !== WIDEST) return undefined;
  const [, set, category, finish] = match as unknown as [string, string, string, DemoImageFinish];
  return DEMO_IMAGE_WIDTHS.map((w) => `${demoImagePath(category, finish, w, set)} ${w}w`).join(', ');
}
