import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { completeAuth, type FakeEnvironment } from './auth-flow.ts';
import type { FakeSession } from './store.ts';

const INTEGRATION_NAME = 'Notion';

// Inline style and script only: the page must work offline and stand alone as a `connect_link` target.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'";

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7; color: #1f2328; }
  main { width: min(420px, calc(100vw - 32px)); background: #fff; border-radius: 12px; padding: 32px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); }
  .logo { width: 48px; height: 48px; border-radius: 10px; background: #000; color: #fff; display: grid;
          place-items: center; font: 700 28px Georgia, serif; margin-bottom: 16px; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  p { margin: 0 0 12px; line-height: 1.5; color: #57606a; }
  ul { margin: 0 0 20px; padding-left: 20px; color: #57606a; line-height: 1.6; }
  .who { font-size: 14px; background: #f6f8fa; border-radius: 8px; padding: 10px 12px; margin-bottom: 20px; }
  .actions { display: flex; gap: 12px; }
  button { flex: 1; font: inherit; font-weight: 600; padding: 10px 16px; border-radius: 8px; cursor: pointer; border: 1px solid #d0d7de; }
  button[value=allow] { background: #1f6feb; border-color: #1f6feb; color: #fff; }
  button[value=cancel], #close { background: #fff; color: #1f2328; }
  .note { font-size: 12px; color: #8c959f; margin-top: 16px; }
  a { color: #1f6feb; }
`;

/** Escapes text for HTML element and attribute contexts. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(c: Context, title: string, body: string, script = '', status: ContentfulStatusCode = 200) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
  return c.html(html, status);
}

/**
 * Tells whoever embedded or opened the page about the outcome, using the event shapes
 * `@nangohq/frontend`'s ConnectUI listens for (`connect`, `close`, `error`). The SDK only removes its
 * iframe on `close`, so embedded and popup pages also get a Close button that sends it.
 */
function notifyScript(event: unknown): string {
  const json = JSON.stringify(event).replace(/</g, '\\u003c');
  return `(function(){
var targets = [window.parent !== window ? window.parent : null, window.opener].filter(Boolean);
function send(e) { targets.forEach(function (t) { t.postMessage(e, '*'); }); }
send(${json});
var close = document.getElementById('close');
if (close && targets.length) {
  close.hidden = false;
  close.addEventListener('click', function () { send({ type: 'close' }); if (window.opener) window.close(); });
}})();`;
}

const CLOSE_BUTTON = '<div class="actions"><button type="button" id="close" hidden>Close</button></div>';

// When embedded by `openConnectUI`, the token arrives by postMessage; reload with it so the page stays server-rendered.
const WAIT_FOR_TOKEN_SCRIPT = `window.addEventListener('message', function (ev) {
  var d = ev.data;
  if (d && d.type === 'session_token' && typeof d.sessionToken === 'string') {
    location.replace(location.pathname + '?embedded=1&session_token=' + encodeURIComponent(d.sessionToken));
  }
});
if (window.parent !== window) window.parent.postMessage({ type: 'ready' }, '*');`;

function consentBody(session: FakeSession, embedded: boolean): string {
  const appName = session.organization?.display_name ?? 'Trust Center';
  const email = session.endUser?.email ?? session.tags['end_user_email'];
  const verb = session.reconnectConnectionId ? 'reconnect to' : 'connect to';
  return `<div class="logo" aria-hidden="true">N</div>
<h1>${esc(appName)} wants to ${verb} ${INTEGRATION_NAME}</h1>
<p>Allowing access lets ${esc(appName)} read the pages and databases you share with it in your ${INTEGRATION_NAME} workspace.</p>
<ul><li>Read content</li><li>Read workspace name and icon</li></ul>
${email ? `<div class="who">Signed in as <strong>${esc(email)}</strong></div>` : ''}
<form method="post" action="/connect/authorize">
<input type="hidden" name="session_token" value="${esc(session.token)}">
${embedded ? '<input type="hidden" name="embedded" value="1">' : ''}
<div class="actions">
<button type="submit" name="decision" value="cancel">Cancel</button>
<button type="submit" name="decision" value="allow">Allow access</button>
</div></form>
<p class="note">Sandbox: no real ${INTEGRATION_NAME} account is involved.</p>`;
}

function resultPage(
  c: Context,
  title: string,
  message: string,
  event: unknown,
  status: ContentfulStatusCode = 200,
  extra = '',
) {
  return page(
    c,
    title,
    `<h1>${esc(title)}</h1><p>${esc(message)}</p>${extra}${CLOSE_BUTTON}`,
    notifyScript(event),
    status,
  );
}

function expiredPage(c: Context) {
  const errorMessage = 'The connect session is invalid or has expired';
  const message = `Go back to the app and start connecting ${INTEGRATION_NAME} again.`;
  const event = {
    type: 'error',
    payload: { errorType: 'missing_connect_session_token', errorMessage },
  };
  return resultPage(c, 'This link has expired', message, event, 401);
}

/** The hosted Connect UI: `GET /connect[/]?session_token=…` and the form post behind its buttons. */
export function connectUiRoutes(env: FakeEnvironment, opts: { publicUrl: () => string | undefined }) {
  const app = new Hono();

  const show = (c: Context) => {
    const token = c.req.query('session_token');
    if (token === undefined) return page(c, `Connect ${INTEGRATION_NAME}`, '<p>Loading…</p>', WAIT_FOR_TOKEN_SCRIPT);
    const session = env.store.liveSession(token);
    if (!session) return expiredPage(c);
    return page(c, `Connect ${INTEGRATION_NAME}`, consentBody(session, c.req.query('embedded') === '1'));
  };
  app.get('/connect', show);
  app.get('/connect/', show);

  app.post('/connect/authorize', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form['session_token'] === 'string' ? form['session_token'] : '';
    const session = env.store.liveSession(token);
    if (!session) return expiredPage(c);

    // Real Nango sends no webhook when the user cancels; the page only tells the embedder to close.
    if (form['decision'] !== 'allow') {
      return resultPage(c, 'Connection cancelled', 'Nothing was shared. You can close this window.', { type: 'close' });
    }
    const result = completeAuth(env, session);
    if (!result.ok) {
      const event = {
        type: 'error',
        payload: { errorType: 'unknown_error', errorMessage: result.message },
      };
      return resultPage(c, 'Could not connect', result.message, event, 400);
    }
    const back = opts.publicUrl();
    const returnLink =
      back && form['embedded'] !== '1'
        ? `<p><a href="${esc(`${back.replace(/\/+$/, '')}/admin/integrations?connected=1`)}">Return to the Trust Center</a></p>`
        : '';
    const payload = {
      providerConfigKey: env.integrationId,
      connectionId: result.connectionId,
      isPending: false,
    };
    const event = { type: 'connect', payload };
    return resultPage(
      c,
      'Connected — you can close this window',
      `${INTEGRATION_NAME} is now connected.`,
      event,
      200,
      returnLink,
    );
  });

  return app;
}
