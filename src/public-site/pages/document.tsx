/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { formatBytes } from '../../contracts/format.ts';
import type { DocumentRow } from '../../platform/db/schema.ts';
import { formatDate, Icons, kindLabel, Layout, LevelBadge, MessageCard, type PageContext } from './layout.tsx';
import { LockedRequestForm, SignInToView, type NdaToSign, type RequestForm } from './request.tsx';

type Doc = Pick<
  DocumentRow,
  'id' | 'title' | 'kind' | 'access_level' | 'file_name' | 'file_content_type' | 'file_size' | 'updated_at'
>;

const Crumbs: FC<{ ctx: PageContext }> = ({ ctx }) => (
  <nav class="crumbs" aria-label="Breadcrumb">
    <a href={ctx.base || '/'}>← All documents</a>
  </nav>
);

const DocHead: FC<{ doc: Doc }> = ({ doc }) => (
  <div class="doc-head">
    <h1>{doc.title}</h1>
    <div class="meta">
      <span>{kindLabel(doc)}</span>
      <LevelBadge level={doc.access_level} />
      <span>Updated {formatDate(doc.updated_at)}</span>
    </div>
  </div>
);

/**
 * An opened document: sanitized Markdown, a view-only PDF in the browser's viewer (framed from this site,
 * its toolbar hidden, no download button), or the file with its buttons.
 */
export const DocumentPage: FC<{
  ctx: PageContext;
  doc: Doc;
  html: string | null;
  viewOnly: boolean;
}> = ({ ctx, doc, html, viewOnly }) => (
  <Layout ctx={ctx} title={doc.title}>
    <Crumbs ctx={ctx} />
    <DocHead doc={doc} />
    {html !== null ? (
      <article class="card prose" dangerouslySetInnerHTML={{ __html: html }} />
    ) : viewOnly ? (
      <div class="card viewer">
        <p class="note">View only: this document can be read here but not downloaded.</p>
        <iframe src={`${ctx.base}/documents/${doc.id}/file#toolbar=0&navpanes=0`} title={doc.title} />
      </div>
    ) : (
      <div class="card file">
        <span class="icon">{Icons.file(26)}</span>
        <div class="body">
          <strong>{doc.file_name ?? 'File'}</strong>
          <div class="meta">
            <span>{doc.file_content_type ?? 'file'}</span>
            <span>{formatBytes(Number(doc.file_size ?? 0))}</span>
          </div>
        </div>
        <div class="actions">
          {doc.file_content_type === 'application/pdf' && (
            <a class="btn ghost" href={`${ctx.base}/documents/${doc.id}/file`}>
              View
            </a>
          )}
          <a class="btn primary" href={`${ctx.base}/documents/${doc.id}/file?download`}>
            {Icons.download(16)}Download
          </a>
        </div>
      </div>
    )}
  </Layout>
);

/**
 * A document the viewer may not open yet: why, and the request form — or, for a contact approved for it who is
 * signed out, "sign in to view".
 */
export const LockedPage: FC<{
  ctx: PageContext;
  doc: Doc;
  form: RequestForm;
  nda: NdaToSign | undefined;
  signIn: boolean;
}> = ({ ctx, doc, form, nda, signIn }) => (
  <Layout ctx={ctx} title={doc.title}>
    <Crumbs ctx={ctx} />
    <DocHead doc={doc} />
    {signIn ? (
      <SignInToView ctx={ctx} />
    ) : (
      <div class="card">
        <div class="locked-panel">
          <div class="icon warn">{Icons.lock(26)}</div>
          <h2>This document is restricted</h2>
          <p>
            {ctx.contact
              ? `Your access does not include this document yet. Ask ${ctx.tenant.name} for it below.`
              : `${ctx.tenant.name} shares this document with approved contacts${doc.access_level === 'contacts_nda' ? ' who accept a non-disclosure agreement' : ''}. Tell us who you are and we will get back to you.`}
          </p>
        </div>
        <LockedRequestForm ctx={ctx} doc={doc} form={form} nda={nda} />
      </div>
    )}
  </Layout>
);

/** The click-through NDA shown before an NDA document opens. */
export const NdaPage: FC<{
  ctx: PageContext;
  doc: Doc;
  nda: { id: string; version: number; html: string };
  error?: string;
}> = ({ ctx, doc, nda, error }) => (
  <Layout ctx={ctx} title="Non-disclosure agreement">
    <Crumbs ctx={ctx} />
    <DocHead doc={doc} />
    <div class="card">
      <h2 class="card-title">Non-disclosure agreement</h2>
      <p class="muted">
        Before you open this document, please review and accept {ctx.tenant.name}'s non-disclosure agreement (version{' '}
        {nda.version}). Your acceptance covers every NDA document here until the agreement changes.
      </p>
      <div
        class="nda-text prose"
        tabindex={0}
        role="region"
        aria-label="Agreement text"
        dangerouslySetInnerHTML={{ __html: nda.html }}
      />
      <form class="stack" method="post" action={`${ctx.base}/nda`}>
        {error ? (
          <p class="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <input type="hidden" name="csrf" value={ctx.csrfToken ?? ''} />
        <input type="hidden" name="version" value={nda.id} />
        <input type="hidden" name="next" value={doc.id} />
        <label class="check">
          <input type="checkbox" name="agree" value="yes" required />
          <span>
            I have read the agreement and accept it
            {ctx.contact?.name ? ` as ${ctx.contact.name}` : ''}.
          </span>
        </label>
        <div>
          <button class="btn primary" type="submit">
            Accept and open the document
          </button>
        </div>
      </form>
    </div>
  </Layout>
);

/** Simple message pages share the layout. */
export const MessagePage: FC<{
  ctx: PageContext;
  title: string;
  heading: string;
  text: string;
  locked?: boolean;
  action?: { href: string; label: string };
}> = ({ ctx, title, heading, text, locked, action }) => (
  <Layout ctx={ctx} title={title}>
    <MessageCard
      icon={locked ? Icons.lock(26) : Icons.shield(26)}
      warn={locked}
      heading={heading}
      action={
        action ? (
          <a class="btn primary" href={action.href}>
            {action.label}
          </a>
        ) : undefined
      }
    >
      {text}
    </MessageCard>
  </Layout>
);

/** The magic-link landing page: a button, so mail scanners that prefetch links do not use up the link. */
export const ContinuePage: FC<{ ctx: PageContext; token: string }> = ({ ctx, token }) => (
  <Layout ctx={ctx} title="Sign in">
    <div class="card locked-panel">
      <div class="icon">{Icons.shield(26)}</div>
      <h1>Welcome to the {ctx.tenant.name} Trust Center</h1>
      <p>Continue to open the documents that have been shared with you. This personal link works once.</p>
      <form method="post" action={`${ctx.base}/access/${token}`} class="actions">
        <button class="btn primary" type="submit">
          Continue to the documents
        </button>
      </form>
    </div>
  </Layout>
);
