import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** The built Agent Inbox (web/ → dist/web). Hashed assets are cached for good; index.html never. */
export function webRoutes(root: string) {
  const app = new Hono();
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_p, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.get('/favicon.svg', serveStatic({ root }));
  app.get('*', async (c, next) => {
    // Unknown API paths stay JSON 404s; only page paths get the app.
    const p = c.req.path;
    if (p === '/v1' || p.startsWith('/v1/') || p.startsWith('/widget/') || p === '/health') return next();
    if (!existsSync(join(root, 'index.html'))) {
      return c.text('The web UI is not built. Run `npm run build:web` (npm start does it for you).', 503);
    }
    c.header('Cache-Control', 'no-cache');
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
  return app;
}
