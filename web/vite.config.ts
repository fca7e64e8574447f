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
        // root.tsx sits in the chunk `appChunk` gathers (its facade is then none): found by the modules it holds.
        const app = chunks.find((c) => c.moduleIds.some((id) => id.endsWith('/web/src/root.tsx')));
        if (!app) throw new Error('sopdesk-preload-app: no chunk for web/src/root.tsx');
        // The entry runs before the app's code has loaded: a static import of another chunk would make it wait for it.
        const entry = chunks.find((c) => c.isEntry);
        if (entry?.imports.length)
          throw new Error(`sopdesk-preload-app: the entry imports ${entry.imports.join(', ')}; see appChunk`);
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

type ModuleInfo = { importedIds: readonly string[] } | null;

/**
 * Every module `from` reaches through static imports (dynamic ones, the lazy pages, are not followed), except those
 * `skip` names.
 */
function staticGraph(from: string, info: (id: string) => ModuleInfo, skip = (_id: string) => false): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || skip(id)) return;
    seen.add(id);
    for (const next of info(id)?.importedIds ?? []) visit(next);
  };
  visit(from);
  return seen;
}

/**
 * What the entry imports but does not use (tree-shaken out of it): React Query's hooks and provider (with React) and
 * query-core's observers, reached through the packages' index files. The entry uses the QueryClient and
 * queryOptions / infiniteQueryOptions. Were it wrong, the entry would import the app's chunk: the build fails then.
 */
const UNUSED_BY_ENTRY = [
  /\/@tanstack\/react-query\/build\/modern\/(?!index|queryOptions|infiniteQueryOptions)[^/]*$/,
  /\/@tanstack\/query-core\/build\/modern\/\w*Observer\.js$/,
];

/**
 * The app's chunk holds everything root.tsx needs at start that the entry does not already have. Left to itself,
 * Rolldown splits out each module root.tsx shares with a lazy page (money, status, the query hooks, …) into a chunk of
 * its own: a handful of small requests on the page's first load, queued with the API reads on HTTP/1.1's six
 * connections. The lazy pages then import those modules from the app's chunk, which is loaded before any of them.
 */
function appChunk(moduleId: string, meta: { getModuleInfo: (id: string) => ModuleInfo }) {
  const getModuleInfo = (id: string) => meta.getModuleInfo(id);
  appModules ??= (() => {
    const app = staticGraph(`${root}src/root.tsx`, getModuleInfo);
    const unused = (id: string) => UNUSED_BY_ENTRY.some((re) => re.test(id));
    for (const id of staticGraph(`${root}src/main.tsx`, getModuleInfo, unused)) app.delete(id);
    return app;
  })();
  return appModules.has(moduleId) ? 'root' : null;
}
let appModules: Set<string> | undefined;

export default defineConfig({
  root,
  plugins: [react(), preloadApp()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: appChunk, debugName: 'app', includeDependenciesRecursively: false }] },
      },
    },
  },
  server: { proxy: { '/v1': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
