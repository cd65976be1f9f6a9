/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { AccessLevel } from '../../platform/db/schema.ts';
import { Icons, Layout, LevelBadge, MessageCard, SignInLinkForm, type PageContext } from './layout.tsx';

/** A restricted document a visitor can ask for. */
export interface RequestableDocument {
  id: string;
  title: string;
  access_level: AccessLevel;
}

/** What the visitor typed, and what was wrong with it. */
export interface RequestForm {
  values: { name: string; email: string; company: string; reason: string; signature: string };
  /** The documents ticked (or the one document of a locked page). */
  chosen: string[];
  errors: Partial<Record<'name' | 'email' | 'company' | 'reason' | 'signature' | 'documents' | 'form', string>>;
}

/** The NDA as the request form shows it: sanitized HTML of the current version. */
export interface NdaToSign {
  id: string;
  version: number;
  html: string;
}

const Field: FC<{
  name: 'name' | 'email' | 'company';
  label: string;
  type?: string;
  form: RequestForm;
  autocomplete: string;
  required?: boolean;
}> = ({ name, label, type, form, autocomplete, required }) => (
  <label>
    <span>
      {label}
      {required ? null : <span class="hint"> (optional)</span>}
    </span>
    <input
      type={type ?? 'text'}
      name={name}
      value={form.values[name]}
      autocomplete={autocomplete}
      maxlength={name === 'email' ? 320 : 200}
      required={required}
      aria-invalid={form.errors[name] ? 'true' : undefined}
      aria-describedby={form.errors[name] ? `${name}-error` : undefined}
    />
    {form.errors[name] ? (
      <span class="field-error" id={`${name}-error`}>
        {form.errors[name]}
      </span>
    ) : null}
  </label>
);

/**
 * The NDA inside the request form: read it, type your full name, tick to accept. Shown whenever an NDA
 * document can be chosen; the server requires it only when one is (no scripts to show it on demand).
 */
const NdaSignature: FC<{ ctx: PageContext; nda: NdaToSign; form: RequestForm; always: boolean }> = ({
  ctx,
  nda,
  form,
  always,
}) => (
  <fieldset class="nda-sign" aria-describedby="nda-sign-hint">
    <legend>Non-disclosure agreement (version {nda.version})</legend>
    <p class="muted" id="nda-sign-hint">
      {always
        ? `This document is shared under ${ctx.tenant.name}'s non-disclosure agreement. Sign it here and you will not be asked again after approval.`
        : `Documents marked NDA are shared under ${ctx.tenant.name}'s non-disclosure agreement. If you choose one, sign it here; you will not be asked again after approval.`}
    </p>
    <div
      class="nda-text prose"
      tabindex={0}
      role="region"
      aria-label="Agreement text"
      dangerouslySetInnerHTML={{ __html: nda.html }}
    />
    <input type="hidden" name="nda_version" value={nda.id} />
    <label>
      <span>Type your full name to sign</span>
      <input
        type="text"
        name="signature"
        value={form.values.signature}
        autocomplete="name"
        maxlength={200}
        aria-invalid={form.errors.signature ? 'true' : undefined}
        aria-describedby={form.errors.signature ? 'signature-error' : undefined}
      />
    </label>
    <label class="check">
      <input type="checkbox" name="agree" value="yes" />
      <span>I have read the agreement and accept it, signed with the name above.</span>
    </label>
    {form.errors.signature ? (
      <span class="field-error" id="signature-error">
        {form.errors.signature}
      </span>
    ) : null}
  </fieldset>
);

/** Who is asking (once for every document), the NDA when needed, the honeypot and the button. */
const RequestFields: FC<{
  ctx: PageContext;
  form: RequestForm;
  nda: NdaToSign | undefined;
  ndaAlways: boolean;
  button: string;
}> = ({ ctx, form, nda, ndaAlways, button }) => (
  <>
    {form.errors.form ? (
      <p class="notice error" role="alert">
        {form.errors.form}
      </p>
    ) : null}
    <div class="row">
      <Field name="name" label="Full name" form={form} autocomplete="name" required />
      <Field name="email" label="Work email" type="email" form={form} autocomplete="email" required />
    </div>
    <Field name="company" label="Company" form={form} autocomplete="organization" />
    <label>
      <span>
        Why do you need it?<span class="hint"> (optional)</span>
      </span>
      <textarea name="reason" maxlength={2000} aria-invalid={form.errors.reason ? 'true' : undefined}>
        {form.values.reason}
      </textarea>
      {form.errors.reason ? <span class="field-error">{form.errors.reason}</span> : null}
    </label>
    {nda ? <NdaSignature ctx={ctx} nda={nda} form={form} always={ndaAlways} /> : null}
    <div class="hp" aria-hidden="true">
      <label>
        Leave this field empty
        <input type="text" name="website" tabindex={-1} autocomplete="off" />
      </label>
    </div>
    <div>
      <button class="btn primary" type="submit">
        {button}
      </button>
    </div>
  </>
);

/** The request form of one locked document (posted to the same handler as the multi-document form). */
export const LockedRequestForm: FC<{
  ctx: PageContext;
  doc: RequestableDocument;
  form: RequestForm;
  nda: NdaToSign | undefined;
}> = ({ ctx, doc, form, nda }) => (
  <form class="stack" id="request" method="post" action={`${ctx.base}/request`} aria-label="Request access">
    <input type="hidden" name="doc" value={doc.id} />
    <RequestFields
      ctx={ctx}
      form={form}
      nda={doc.access_level === 'contacts_nda' ? nda : undefined}
      ndaAlways
      button="Request access"
    />
    <p class="muted">
      Need more than this one? <a href={`${ctx.base}/request?doc=${doc.id}`}>Request several documents at once</a>.
    </p>
  </form>
);

/** "Sign in to view": a contact already approved for this document, signed out in this browser. */
export const SignInToView: FC<{ ctx: PageContext }> = ({ ctx }) => (
  <>
    <div class="card locked-panel">
      <div class="icon">{Icons.shield(26)}</div>
      <h2>Sign in to view</h2>
      <p>
        You already have access to this document. Enter your email below and we will send you a sign-in link; it works
        once.
      </p>
    </div>
    <SignInLinkForm ctx={ctx} />
  </>
);

/** One request for many documents: tick the documents, say who you are once, sign the NDA if needed. */
export const RequestPage: FC<{
  ctx: PageContext;
  documents: RequestableDocument[];
  form: RequestForm;
  nda: NdaToSign | undefined;
}> = ({ ctx, documents, form, nda }) => (
  <Layout ctx={ctx} title="Request access" description={`Request restricted documents from ${ctx.tenant.name}.`}>
    <nav class="crumbs" aria-label="Breadcrumb">
      <a href={ctx.base || '/'}>← All documents</a>
    </nav>
    <div class="doc-head">
      <h1>Request access</h1>
      <p class="muted">
        Choose the documents you need and tell us who you are once. {ctx.tenant.name} reviews one request and, once
        approved, emails you one personal link to all of them.
      </p>
    </div>
    {documents.length === 0 ? (
      <MessageCard icon={Icons.shield(26)} heading="Nothing to request">
        Every document here is open to you already.
      </MessageCard>
    ) : (
      <form class="card stack" method="post" action={`${ctx.base}/request`} aria-label="Request access">
        <fieldset class="request-docs" aria-describedby={form.errors.documents ? 'documents-error' : undefined}>
          <legend>Documents</legend>
          {documents.map((doc) => (
            <label class="check">
              <input type="checkbox" name="doc" value={doc.id} checked={form.chosen.includes(doc.id)} />
              <span>
                {doc.title} <LevelBadge level={doc.access_level} />
              </span>
            </label>
          ))}
          {form.errors.documents ? (
            <span class="field-error" id="documents-error">
              {form.errors.documents}
            </span>
          ) : null}
        </fieldset>
        <RequestFields
          ctx={ctx}
          form={form}
          nda={documents.some((d) => d.access_level === 'contacts_nda') ? nda : undefined}
          ndaAlways={false}
          button="Send request"
        />
      </form>
    )}
  </Layout>
);

/** After sending: waiting for review, or approved at once (auto-approve) with the link on its way. */
export const RequestSentPage: FC<{ ctx: PageContext; approved: boolean }> = ({ ctx, approved }) => (
  <Layout ctx={ctx} title="Request received">
    <MessageCard
      icon={Icons.shield(26)}
      heading={approved ? 'Access approved' : 'Request received'}
      action={
        <a class="btn ghost" href={ctx.base || '/'}>
          Back to all documents
        </a>
      }
    >
      {approved
        ? `${ctx.tenant.name} approves requests from your company automatically. A personal sign-in link is on its way to your email; it works once.`
        : `Thanks — ${ctx.tenant.name} will review your request. If it is approved you will receive one email with a personal link to the documents.`}
    </MessageCard>
  </Layout>
);
