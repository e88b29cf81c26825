/**
 * Vite plugin: the demo product photos (build.ts) go into every build as dist/images/demo/<set>/…,
 * so `npm run build -w web` and `make up` (which runs `vite build` itself) both ship them, and the dev
 * server answers the same paths.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { DEMO_IMAGE_SET } from '../../services/api/src/seed/product-images.ts';
import { artDigest, buildDemoImages, demoImages, renderDemoPhoto } from './build.ts';

export function demoProductImages(): Plugin {
  return {
    name: 'dhakacart-demo-product-images',
    // Written next to the bundle rather than emitted into it: Vite would list all 200 files on every build.
    async writeBundle(options) {
      const digest = artDigest();
      if (digest !== DEMO_IMAGE_SET) {
        // Not fatal (a drawing being worked on should still build), but cached URLs would show the old picture.
        this.warn(`the demo drawings changed: set DEMO_IMAGE_SET to '${digest}' in services/api/src/seed/product-images.ts`);
      }
      const outDir = options.dir ?? 'dist';
      let bytes = 0;
      for (const [path, source] of await buildDemoImages()) {
        const file = join(outDir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, source);
        bytes += source.length;
      }
      this.info(`demo product photos: ${demoImages().length} files, ${Math.round(bytes / 1024)} KB in ${outDir}/images/demo`);
    },
    configureServer(server) {
      const byPath = new Map(demoImages().map((image) => [image.path, image]));
      server.middlewares.use((req, res, next) => {
        const image = byPath.get((req.url ?? '').split('?')[0] ?? '');
        if (!image) return next();
        renderDemoPhoto(image.category, image.finish).then(
          (photo) => res.writeHead(200, { 'content-type': 'image/webp', 'cache-control': 'no-cache' }).end(photo.get(image.width)),
          next,
        );
      });
    },
  };
}
