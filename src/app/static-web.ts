import fs from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../platform/http/app-env.ts';

const WEB_DIST = path.resolve('web/dist');

/** Serve the built admin SPA under /admin with an index.html fallback for client-side routes. */
export function serveAdminApp(app: Hono<AppEnv>): void {
  app.get('/', (c) => c.redirect('/admin'));
  app.use(
    '/admin/assets/*',
    serveStatic({
      root: path.relative(process.cwd(), WEB_DIST),
      rewriteRequestPath: (p) => p.replace(/^\/admin/, ''),
    }),
  );
  app.get('/admin', (c) => indexHtml(c));
  app.get('/admin/*', (c) => indexHtml(c));
}

function indexHtml(c: Context<AppEnv>) {
  const file = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(file)) {
    return c.text('The admin app is not built yet. Run `npm run build:web` (npm start does this for you).', 503);
  }
  c.header('Cache-Control', 'no-cache');
  return c.html(fs.readFileSync(file, 'utf8'));
}
