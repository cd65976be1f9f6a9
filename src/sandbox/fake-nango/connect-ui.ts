import type { AuthErrorType, ConnectUIEventClose, ConnectUIEventConnect, ConnectUIEventError } from '@nangohq/frontend';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { completeAuth, CONSENT_DENIED, type FakeEnvironment } from './auth-flow.ts';
import type { FakeSession } from './store.ts';

const INTEGRATION_NAME = 'Notion';

// Inline style and script only: the page must work offline and stand alone as a `connect_link` target.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'";

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: rgba(15,23,42,.45); color: #1f2328; }
  main { position: relative; width: min(420px, calc(100vw - 32px)); background: #fff; border-radius: 12px; padding: 32px;
         box-sizing: border-box; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); }
  .logo { width: 48px; height: 48px; border-radius: 10px; background: #000; color: #fff; display: grid;
          place-items: center; font: 700 28px Georgia, serif; margin-bottom: 16px; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  p { margin: 0 0 12px; line-height: 1.5; color: #57606a; }
  ul { margin: 0 0 20px; padding-left: 20px; color: #57606a; line-height: 1.6; }
  .who { font-size: 14px; background: #f6f8fa; border-radius: 8px; padding: 10px 12px; margin-bottom: 20px; overflow-wrap: anywhere; }
  .actions { display: flex; gap: 12px; }
  .actions form { flex: 1; display: flex; }
  button { flex: 1; font: inherit; font-weight: 600; padding: 10px 16px; border-radius: 8px; cursor: pointer; border: 1px solid #d0d7de;
           background: #fff; color: #1f2328; }
  button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
  #dismiss { position: absolute; top: 12px; right: 12px; flex: none; padding: 4px 10px; border: none; font-size: 20px; line-height: 1; }
  .note { font-size: 12px; color: #8c959f; margin-top: 16px; }
`;

/** Escapes text for HTML element and attribute contexts. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

type ConnectUiEvent = ConnectUIEventConnect | ConnectUIEventError | ConnectUIEventClose;

/**
 * The Connect UI posts its events to `parent` with target origin '*' (connect-ui src/lib/events.ts); the
 * SDK accepts them only from the `baseURL` origin, which is why this page lives on its own origin.
 * "×", "Finish" and "Close" post `close`, after which the SDK removes the iframe. Opened as a plain
 * `connect_link` tab there is no parent, so nothing is posted, those buttons stay hidden and the
 * standalone hints ("You can now close this tab", as the real Connect UI says) stay visible.
 */
function eventScript(event: ConnectUiEvent | null): string {
  const json = JSON.stringify(event).replace(/</g, '\\u003c');
  return `(function(){
if (window.parent === window) return;
function send(e) { window.parent.postMessage(e, '*'); }
var initial = ${json};
if (initial) send(initial);
document.querySelectorAll('[data-standalone]').forEach(function (e) { e.hidden = true; });
document.querySelectorAll('[data-close]').forEach(function (b) {
  b.hidden = false;
  b.addEventListener('click', function () { send({ type: 'close' }); });
});
})();`;
}

// Embedded by `openConnectUI`: say `ready`, receive the token by postMessage and post it back to this
// origin in a form body, so the token never appears in a URL (the real Connect UI keeps it in memory).
const WAIT_FOR_TOKEN_SCRIPT = `(function(){
if (window.parent === window) return;
window.addEventListener('message', function (ev) {
  var d = ev.data;
  if (!d || d.type !== 'session_token' || typeof d.sessionToken !== 'string') return;
  var form = document.getElementById('token-form');
  form.elements.session_token.value = d.sessionToken;
  form.submit();
});
window.parent.postMessage({ type: 'ready' }, '*');
})();`;

const DISMISS_BUTTON = '<button type="button" id="dismiss" data-close hidden aria-label="Dismiss">×</button>';

function page(c: Context, title: string, body: string, opts: { script?: string; status?: ContentfulStatusCode } = {}) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${DISMISS_BUTTON}${body}</main><script>${opts.script ?? eventScript(null)}</script></body></html>`;
  return c.html(html, opts.status ?? 200);
}

const hiddenToken = (token: string) => `<input type="hidden" name="session_token" value="${esc(token)}">`;

function consentPage(c: Context, session: FakeSession) {
  const appName = session.organization?.display_name ?? 'Trust Center';
  const email = session.endUser?.email ?? session.tags['end_user_email'];
  const verb = session.reconnectConnectionId ? 'reconnect to' : 'connect to';
  const decision = (value: 'deny' | 'allow', label: string, cls = '') =>
    `<form method="post" action="authorize">${hiddenToken(session.token)}<input type="hidden" name="decision" value="${value}"><button type="submit"${cls ? ` class="${cls}"` : ''}>${label}</button></form>`;
  return page(
    c,
    `Connect ${INTEGRATION_NAME}`,
    `<div class="logo" aria-hidden="true">N</div>
<h1>${esc(appName)} wants to ${verb} ${INTEGRATION_NAME}</h1>
<p>Allowing access lets ${esc(appName)} read the pages and databases you share with it in your ${INTEGRATION_NAME} workspace.</p>
<ul><li>Read content</li><li>Read workspace name and icon</li></ul>
${email ? `<div class="who">Signed in as <strong>${esc(email)}</strong></div>` : ''}
<div class="actions">${decision('deny', 'Cancel')}${decision('allow', 'Allow access', 'primary')}</div>
<p class="note">Sandbox: no real ${INTEGRATION_NAME} account is involved.</p>`,
  );
}

function errorPage(
  c: Context,
  errorType: AuthErrorType | 'callback_err',
  message: string,
  status: ContentfulStatusCode,
) {
  // Nango passes the OAuth callback's error type through to the Connect UI unchanged, and for a denied
  // consent that is `callback_err` (server utils/web-socket-error.ts), outside the SDK's AuthErrorType.
  const event = { type: 'error', payload: { errorType, errorMessage: message } } as ConnectUIEventError;
  return page(
    c,
    'Could not connect',
    `<h1>Could not connect ${INTEGRATION_NAME}</h1><p>${esc(message)}</p>
<div class="actions"><button type="button" data-close hidden>Close</button></div>`,
    { script: eventScript(event), status },
  );
}

function expiredPage(c: Context) {
  return errorPage(
    c,
    'missing_connect_session_token',
    `This link is invalid or has expired. Go back to the app and start connecting ${INTEGRATION_NAME} again.`,
    401,
  );
}

function formToken(form: Record<string, unknown>): string {
  const token = form['session_token'];
  return typeof token === 'string' ? token : '';
}

/**
 * The Connect UI, served from its own origin like `https://connect.nango.dev` (self-hosted: port 3009):
 * `GET /` embedded by `openConnectUI` (token by postMessage) or `GET /?session_token=…` as a
 * `connect_link`, then the consent the user would give on Notion's own screen.
 */
export function connectUiApp(env: FakeEnvironment) {
  const app = new Hono();

  app.get('/', (c) => {
    const token = c.req.query('session_token');
    if (token !== undefined) {
      const session = env.store.liveSession(token);
      return session ? consentPage(c, session) : expiredPage(c);
    }
    return page(
      c,
      `Connect ${INTEGRATION_NAME}`,
      `<h1>Connect ${INTEGRATION_NAME}</h1><p>Loading…</p>
<noscript><p>Open the connection link from the app to continue.</p></noscript>
<form id="token-form" method="post" action="./">${hiddenToken('')}</form>`,
      { script: WAIT_FOR_TOKEN_SCRIPT },
    );
  });

  app.post('/', async (c) => {
    const session = env.store.liveSession(formToken(await c.req.parseBody()));
    return session ? consentPage(c, session) : expiredPage(c);
  });

  app.post('/authorize', async (c) => {
    const form = await c.req.parseBody();
    const session = env.store.liveSession(formToken(form));
    if (!session) return expiredPage(c);

    // Cancel on Notion's consent screen: Notion redirects back without a code, Nango records a failed
    // creation (webhook without tags or end user) and the Connect UI shows the error.
    const denied = form['decision'] !== 'allow';
    const result = completeAuth(env, session, denied ? { fail: CONSENT_DENIED } : {});
    if (!result.ok) return errorPage(c, 'unknown_error', result.message, 400);
    if (!result.success) return errorPage(c, 'callback_err', CONSENT_DENIED.description, 200);

    const event: ConnectUIEventConnect = {
      type: 'connect',
      payload: { providerConfigKey: env.integrationId, connectionId: result.connectionId, isPending: false },
    };
    return page(
      c,
      'Connected',
      `<h1>Connected</h1><p>${INTEGRATION_NAME} is now connected.</p>
<p data-standalone>You can now close this tab.</p>
<div class="actions"><button type="button" class="primary" data-close hidden>Finish</button></div>`,
      { script: eventScript(event) },
    );
  });

  return app;
}
