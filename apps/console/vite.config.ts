import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is served by the API under /console/ (apps/api/src/console/console.module.ts), so its assets are
 * addressed from there. `npm start` builds it through scripts/build.cjs into dist/console; `vite` alone serves it in
 * development with the API proxied (API_URL, default http://localhost:3000).
 */
const apiUrl = process.env.API_URL ?? 'http://localhost:3000';
const apiPaths = [
  '/me',
  '/auth',
  '/development',
  '/cases',
  '/queues',
  '/referrals',
  '/handoffs',
  '/directory',
  '/evaluation',
  '/access-log',
  '/admin',
  '/safety',
  '/docs',
];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: { '@fonts': fileURLToPath(new URL('../../node_modules/bootstrap-italia/dist/fonts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: Object.fromEntries(apiPaths.map((path) => [path, apiUrl])) },
});
