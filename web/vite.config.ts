import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { demoProductImages } from './images/vite-plugin.ts';

// The API lives on the same origin under /v1 (nginx in the cluster, the test server and `make up` proxy it),
// so the browser never needs CORS. `npm run dev` proxies to a local API.
export default defineConfig({
  plugins: [react(), demoProductImages()],
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // The Taka sign's font always goes into the stylesheet, whatever the size limit: a price must not wait on the network.
    assetsInlineLimit: (file) => (/[\\/]src[\\/]fonts[\\/]taka-sign-\d+\.woff2$/.test(file) ? true : undefined),
  },
  server: { proxy: { '/v1': process.env.API_URL ?? 'http://127.0.0.1:3000' } },
  preview: { proxy: { '/v1': process.env.API_URL ?? 'http://127.0.0.1:3000' } },
});
