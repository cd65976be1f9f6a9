import crypto from 'node:crypto';
import { BRAND_COLOR } from '../../contracts/trust-profile.ts';
import { tint } from '../../trust-center/brand-color.ts';

/** The whole stylesheet of the public site: inline, so a page is one request, and allowed by its hash. */
export const SITE_CSS = `
:root{--bg:#f6f7fb;--card:#fff;--ink:#0f172a;--muted:#5b6478;--line:#e3e7ef;--brand:#3b4fd8;--brand-ink:#fff;--brand-soft:#eef0ff;
--ok:#0f7a4f;--ok-soft:#e5f6ee;--warn:#94570a;--warn-soft:#fdf1dc;--info:#1d5fa8;--info-soft:#e4effb;--danger:#b42318;--danger-soft:#fdecea;
--radius:14px;--shadow:0 1px 2px rgba(15,23,42,.05),0 4px 16px rgba(15,23,42,.05)}
@media (prefers-color-scheme:dark){:root{--bg:#0c111c;--card:#141b2a;--ink:#e7ebf3;--muted:#9aa5ba;--line:#243047;--brand:#7c8cff;--brand-ink:#0c111c;--brand-soft:#1c2544;
--ok:#4cd39a;--ok-soft:#133428;--warn:#f3b65a;--warn-soft:#3a2a10;--info:#7db5f5;--info-soft:#142a45;--danger:#ff8a80;--danger-soft:#3d1614;--shadow:none}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;display:flex;flex-direction:column;min-height:100vh;background:var(--bg);color:var(--ink);font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem;top:1rem}
.wrap{max-width:920px;margin:0 auto;padding:0 20px}
header.site{background:var(--card);border-bottom:1px solid var(--line)}
header.site .wrap{display:flex;align-items:center;justify-content:space-between;gap:16px;min-height:68px;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:12px;text-decoration:none;color:var(--ink)}
.logo-img{height:38px;width:auto;max-width:160px;object-fit:contain;display:block}
.logo{width:38px;height:38px;border-radius:10px;background:var(--brand);color:var(--brand-ink);display:grid;place-items:center;font-weight:700;font-size:18px}
.brand-name{display:block;font-size:17px;font-weight:700;line-height:1.2}
.brand-sub{display:block;color:var(--muted);font-size:13px}
.who{display:flex;align-items:center;gap:10px;color:var(--muted);font-size:14px}
.who form{margin:0}
main.wrap{flex:1;width:100%;padding-top:40px;padding-bottom:56px}
.hero{display:flex;gap:18px;align-items:flex-start;margin-bottom:28px}
.hero .icon{flex:none;width:52px;height:52px;border-radius:14px;display:grid;place-items:center;background:var(--brand-soft);color:var(--brand)}
@media (max-width:640px){.hero .icon{display:none}.hero h1{font-size:26px}.card{padding:20px}}
.hero h1{font-size:32px;line-height:1.2;margin:0 0 8px;letter-spacing:-.01em}
.hero p{margin:0;color:var(--muted);max-width:640px}
section.group{margin-top:30px}
section.group h2{font-size:14px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 12px}
ul.docs{list-style:none;margin:0;padding:0;display:grid;gap:10px}
.doc{display:flex;align-items:center;gap:16px;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px 18px;box-shadow:var(--shadow)}
.doc .icon{flex:none;width:40px;height:40px;border-radius:10px;display:grid;place-items:center;background:var(--brand-soft);color:var(--brand)}
.doc.locked .icon{background:var(--warn-soft);color:var(--warn)}
.doc .body{flex:1;min-width:0}
.doc .title{font-weight:600;color:var(--ink);text-decoration:none;display:block;overflow-wrap:anywhere}
a.title:hover{text-decoration:underline}
.meta{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;color:var(--muted);font-size:13px;margin-top:4px}
.badge{display:inline-flex;align-items:center;gap:4px;border-radius:999px;padding:2px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.public{background:var(--ok-soft);color:var(--ok)}
.badge.contacts{background:var(--info-soft);color:var(--info)}
.badge.contacts_nda{background:var(--warn-soft);color:var(--warn)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;border-radius:10px;padding:9px 16px;font:inherit;font-size:14px;font-weight:600;text-decoration:none;border:1px solid transparent;cursor:pointer;white-space:nowrap}
.btn.primary{background:var(--brand);color:var(--brand-ink)}
.btn.primary:hover{filter:brightness(1.08)}
.btn.ghost{background:transparent;color:var(--ink);border-color:var(--line)}
.btn.ghost:hover{background:var(--brand-soft)}
.btn.small{padding:6px 12px;font-size:13px}
.empty{color:var(--muted);background:var(--card);border:1px dashed var(--line);border-radius:var(--radius);padding:18px}
.crumbs{font-size:14px;margin-bottom:18px}
.crumbs a{text-decoration:none}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:28px;box-shadow:var(--shadow)}
.doc-head h1{font-size:28px;line-height:1.25;margin:0 0 8px;overflow-wrap:anywhere}
.doc-head{margin-bottom:20px}
.notice{border-radius:12px;padding:14px 16px;margin:0 0 20px;font-size:15px}
.notice.ok{background:var(--ok-soft);color:var(--ok)}
.notice.warn{background:var(--warn-soft);color:var(--warn)}
.notice.error{background:var(--danger-soft);color:var(--danger)}
.prose{overflow-wrap:anywhere}
.prose>:first-child{margin-top:0}
.prose h1,.prose h2,.prose h3{line-height:1.3;margin:1.6em 0 .5em}
.prose h1{font-size:26px}.prose h2{font-size:21px}.prose h3{font-size:18px}
.prose img{max-width:100%;height:auto;border-radius:8px}
.prose pre{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:14px;overflow:auto;font-size:14px}
.prose code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.prose :not(pre)>code{background:var(--bg);border-radius:6px;padding:1px 5px}
.prose blockquote{margin:1em 0;padding:.2em 1em;border-left:4px solid var(--line);color:var(--muted)}
.prose table{border-collapse:collapse;display:block;overflow:auto;max-width:100%}
.prose th,.prose td{border:1px solid var(--line);padding:7px 11px}
.prose th{background:var(--bg)}
.prose li>input{margin-right:6px}
.file{display:flex;align-items:center;gap:16px;flex-wrap:wrap}
.file .actions{display:flex;gap:8px;flex-wrap:wrap}
.viewer{padding:0;overflow:hidden}
.viewer .note{margin:0;padding:12px 16px;font-size:14px;color:var(--muted);border-bottom:1px solid var(--line)}
.viewer iframe{display:block;width:100%;height:min(80vh,1100px);border:0}
.file .icon{width:52px;height:52px;border-radius:12px;display:grid;place-items:center;background:var(--brand-soft);color:var(--brand)}
.file .body{flex:1;min-width:200px}
.locked-panel{text-align:center;padding:8px 0 4px}
.card.locked-panel{padding:40px 28px}
.locked-panel .icon{width:56px;height:56px;border-radius:16px;margin:0 auto 14px;display:grid;place-items:center;background:var(--brand-soft);color:var(--brand)}
.locked-panel .icon.warn{background:var(--warn-soft);color:var(--warn)}
.locked-panel h1,.locked-panel h2{margin:0 0 6px;font-size:20px}
.actions{margin-top:18px;display:flex;gap:10px;justify-content:center;flex-wrap:wrap}
.locked-panel p{margin:0 auto;color:var(--muted);max-width:520px}
form.stack{display:grid;gap:14px;margin-top:22px;text-align:left}
.row{display:grid;grid-template-columns:1fr 1fr;gap:14px}
@media (max-width:640px){.row{grid-template-columns:1fr}.doc{flex-wrap:wrap}.doc .action{width:100%}.doc .action .btn{width:100%}}
label{display:grid;gap:5px;font-size:14px;font-weight:600}
label .hint{font-weight:400;color:var(--muted)}
input[type=text],input[type=email],textarea{width:100%;font:inherit;font-weight:400;color:var(--ink);background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
textarea{min-height:96px;resize:vertical}
.field-error{color:var(--danger);font-weight:500;font-size:13px}
.check{display:flex;gap:10px;align-items:flex-start;font-weight:500}
.check input{margin-top:4px;width:18px;height:18px}
.doc .choose{flex:none;width:20px;height:20px;margin:0;accent-color:var(--brand)}
.request-many-bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:10px;margin-top:12px}
fieldset.request-docs,fieldset.nda-sign{border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin:0;display:grid;gap:10px;min-width:0}
fieldset legend{font-weight:700;padding:0 6px}
fieldset.nda-sign .nda-text{margin:0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.card-title{margin:0 0 8px;font-size:20px}
.nda-text h1{font-size:20px}.nda-text h2{font-size:17px}
.nda-text{max-height:420px;overflow:auto;border:1px solid var(--line);border-radius:12px;padding:18px 20px;background:var(--bg);margin:16px 0}
.signin{margin-top:36px;display:grid;gap:14px}
.signin p{margin:0}
.inline-form{display:flex;gap:10px;flex-wrap:wrap}
.inline-form input[type=email]{flex:1;min-width:220px}
.muted{color:var(--muted)}
.hero p.updated{margin-top:8px;font-size:14px}
.toc{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 8px}
.toc a{font-size:14px;text-decoration:none;border:1px solid var(--line);border-radius:999px;padding:4px 12px;background:var(--card)}
.toc a:hover{background:var(--brand-soft)}
ul.certs{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px}
.cert{display:flex;align-items:flex-start;gap:12px;flex-wrap:wrap;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px;box-shadow:var(--shadow)}
.cert .icon{flex:none;width:38px;height:38px;border-radius:10px;display:grid;place-items:center;background:var(--brand-soft);color:var(--brand)}
.cert .body{flex:1;min-width:0}
.cert .title{display:block;overflow-wrap:anywhere}
.cert .action{width:100%}
.badge.compliant{background:var(--ok-soft);color:var(--ok)}
.badge.in-progress{background:var(--warn-soft);color:var(--warn)}
table.subs{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);overflow:hidden;font-size:15px}
table.subs th,table.subs td{text-align:left;padding:10px 14px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
table.subs thead th{font-size:13px;color:var(--muted);background:var(--bg)}
table.subs tbody tr:last-child>*{border-bottom:0}
@media (max-width:640px){table.subs thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
table.subs,table.subs tbody,table.subs tr,table.subs th,table.subs td{display:block}
table.subs tr{padding:12px 14px;border-bottom:1px solid var(--line)}table.subs tbody tr:last-child{border-bottom:0}
table.subs th,table.subs td{padding:2px 0;border:0}
table.subs td::before{content:attr(data-label) ": ";color:var(--muted);font-size:13px}}
.faq-search{margin-bottom:12px}
.faq-search input[type=search]{flex:1;min-width:200px;font:inherit;color:var(--ink);background:var(--card);border:1px solid var(--line);border-radius:10px;padding:9px 12px}
.faq{display:grid;gap:8px}
.faq details{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:12px 16px}
.faq summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.faq details .prose{margin-top:10px}
.updates{display:grid;gap:10px}
.update{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px 18px;box-shadow:var(--shadow)}
.update h3{margin:0;font-size:18px;overflow-wrap:anywhere}
.update .meta{margin:2px 0 8px}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:13px;padding:20px 0 32px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}
`.replace(/\n/g, '');

/** CSP source allowing exactly the stylesheet above. */
export const SITE_CSS_HASH = hashOfCss(SITE_CSS);

/**
 * The tenant's brand colour as a second stylesheet (light scheme only: the dark palette keeps its own
 * readable accent). The colour was checked for contrast when it was saved; it is re-checked for shape here
 * because it is written into CSS.
 */
export function brandCss(color: string | null): string | null {
  if (!color || !BRAND_COLOR.test(color)) return null;
  return `@media not (prefers-color-scheme:dark){:root{--brand:${color};--brand-ink:#fff;--brand-soft:${tint(color)}}}`;
}

function hashOfCss(css: string): string {
  return `'sha256-${crypto.createHash('sha256').update(css).digest('base64')}'`;
}

/**
 * No script at all, styles only from the hashed stylesheets, images from us or https, forms only to us,
 * and no framing: even HTML that slipped past the sanitizer could not run or phone home with a form.
 */
export function siteCsp(extraCss: string | null = null): string {
  return [
    "default-src 'none'",
    `style-src ${SITE_CSS_HASH}${extraCss ? ` ${hashOfCss(extraCss)}` : ''}`,
    "img-src 'self' https:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
