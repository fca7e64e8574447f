import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The page's entry (src/main.tsx) starts the first API reads, then imports the app (src/root.tsx). This asks the
 * browser for the app's chunks (root.tsx's and those it imports) with the page, beside the entry, rather than once
 * the entry has run.
 */
function preloadApp(): Plugin {
  return {
    name: 'sopdesk-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const app = chunks.find((c) => c.facadeModuleId?.endsWith('/web/src/root.tsx'));
        if (!app) throw new Error('sopdesk-preload-app: no chunk for web/src/root.tsx');
        const files = new Set<string>();
        const add = (fileName: string) => {
          const c = chunks.find((x) => x.fileName === fileName);
          if (!c || c.isEntry || files.has(fileName)) return;
          files.add(fileName);
          c.imports.forEach(add);
        };
        add(app.fileName);
        return [...files].map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), preloadApp()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/v1': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
