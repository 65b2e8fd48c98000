import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { firstPagePreload } from './build/first-page-preload.ts';
import { precompress } from './build/precompress.ts';
import { memberAppServiceWorker } from './build/service-worker.ts';
import { tableWithoutTreeFilter } from './build/table-without-tree-filter.ts';

const API_TARGET = process.env.API_URL ?? 'http://localhost:8080';

// A build is for production even when NODE_ENV says otherwise (vitest sets it to "test"),
// or React and antd would ship their development builds.
if (process.argv.includes('build')) process.env.NODE_ENV = 'production';

// Two single-page apps from one build: the console at / and the member app at /app/.
export default defineConfig({
  // tableWithoutTreeFilter: antd's Table would bring its whole Tree (for tree-mode column filters,
  // unused here) to every table page; the member list loads without it (see the plugin).
  // firstPagePreload: the member app's first page (nearly every visit) loads with the app, not after it.
  plugins: [react(), tableWithoutTreeFilter(), firstPagePreload('app/index.html', 'src/modules/people/member/my-record-page.tsx'), memberAppServiceWorker(), precompress()],
  build: {
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // antd's Table also takes a few helpers from @rc-component/tree's index (row selection of
      // nested rows). That package declares no "sideEffects", so without this rule its whole Tree
      // component (about 8 KB gzip) came along; its modules only define exports, so unused ones drop.
      treeshake: { moduleSideEffects: [{ test: /node_modules[\\/]@rc-component[\\/]tree[\\/]/, sideEffects: false }] },
      output: {
        // Two chunks by hand; the rest split by the pages that use it. React, the router, the query
        // cache and the message formatter, which both apps load first; and the antd modules the
        // console loads with its first page, in one file rather than dozens of small ones (which
        // compress worse: the org tree page was 9 KB heavier so). The member app's first page
        // loads no antd at all.
        codeSplitting: {
          groups: [
            { name: 'framework', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack[\\/][^\\/]+|@formatjs[\\/][^\\/]+|intl-messageformat)[\\/]/, priority: 2 },
            { name: 'antd-core', test: /node_modules[\\/](antd|@rc-component|@ant-design)[\\/]/, tags: ['$initial'], priority: 1 },
          ],
        },
      },
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        app: fileURLToPath(new URL('./app/index.html', import.meta.url)),
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: API_TARGET, changeOrigin: false } },
  },
});
