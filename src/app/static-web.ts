import fs from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../platform/http/app-env.ts';

const WEB_DIST = path.resolve('web/dist');

/**
 * The admin app's Content-Security-Policy: scripts, styles, fonts and API calls only from this origin, no
 * inline script, no plugins, no framing of the app. Frames show this origin's own files (the PDF preview
 * of a document) and one outside origin, Nango's Connect UI, which the Integrations page opens in an iframe. React and the Nango SDK set styles through the DOM, which CSP
 * does not restrict, so no inline style or script is allowed at all.
 */
export function adminCsp(frameOrigins: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    ["frame-src 'self'", ...frameOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serve the built admin SPA under /admin with an index.html fallback for client-side routes. Source maps
 * are built for debugging but never served outside development: they would publish the app's source.
 */
export function serveAdminApp(app: Hono<AppEnv>, opts: { frameOrigins: string[]; serveSourceMaps: boolean }): void {
  const csp = adminCsp(opts.frameOrigins);
  app.get('/', (c) => c.redirect('/admin'));
  app.use('/admin/*', async (c, next) => {
    if (!opts.serveSourceMaps && c.req.path.endsWith('.map')) return c.text('Not found', 404);
    await next();
    c.header('Content-Security-Policy', csp);
  });
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
