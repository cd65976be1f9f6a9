import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import { findLinkTargets } from '../documents/documents.repo.ts';
import { linkedPageIds, rewritePageLinks } from '../documents/page-links.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { PublicContext } from '../platform/http/request-context.ts';
import { decideGate, type Gate, type GrantState } from './access-gate.ts';
import { openPublicFile, type PublicFile } from './document-delivery.ts';
import { resolveContactSession, type ContactSession, type PublicTenant } from './contact-access.ts';
import { grantsByDocument } from './contacts.repo.ts';
import {
  getListedDocument,
  LISTED_COLUMNS,
  listListedDocuments,
  type PublicDocument,
} from './listed-documents.repo.ts';
import { anonymousActivity } from './anonymous-activity.ts';
import { currentNda, hasAccepted } from './nda.repo.ts';
import { readProfile, type ProfileContent } from './trust-profile.repo.ts';
import { siteUrl } from './trust-profile.service.ts';
import { lastSectionChange } from './overview-sections.repo.ts';
import { readShownSections, type ShownSection } from './overview-sections.service.ts';

/** Who is looking at the public site and what they hold: everything a gate decision needs. */
export interface Viewer {
  session: ContactSession | undefined;
  grants: Map<string, GrantState>;
  nda: { id: string; version: number; body: string } | undefined;
  ndaAccepted: boolean;
}

/** The listed columns of a document row (what a cached page keeps to record its views). */
export function toPublicDocument(row: DocumentRow): PublicDocument {
  return Object.fromEntries(LISTED_COLUMNS.map((k) => [k, row[k]])) as PublicDocument;
}

/** Resolve the contact cookie (if any) and load their grants and NDA state, inside the tenant scope. */
export async function loadViewer(trx: Tx, sessionToken: string | undefined): Promise<Viewer> {
  const session = sessionToken ? await resolveContactSession(trx, sessionToken) : undefined;
  const nda = await currentNda(trx);
  if (!session) return { session, grants: new Map(), nda, ndaAccepted: false };
  const [grants, ndaAccepted] = await Promise.all([
    grantsByDocument(trx, session.contact.id),
    nda ? hasAccepted(trx, session.contact.id, nda.id) : Promise.resolve(false),
  ]);
  return { session, grants, nda, ndaAccepted };
}

/** The gate for one document and this viewer. */
export function gateFor(viewer: Viewer, doc: Pick<DocumentRow, 'id' | 'access_level'>, now = new Date()): Gate {
  return decideGate({
    level: doc.access_level,
    grant: viewer.grants.get(doc.id),
    ndaPublished: viewer.nda !== undefined,
    ndaAccepted: viewer.ndaAccepted,
    now,
  });
}

/** The audit identity of a public-site viewer. */
export function viewerActor(viewer: Viewer): AuditActor {
  return viewer.session
    ? {
        type: 'contact',
        id: viewer.session.contact.id,
        label: viewer.session.contact.email,
      }
    : { type: 'visitor', id: null, label: 'anonymous visitor' };
}

/**
 * Record a view or download of an opened document: a contact's as an audit entry (who read what matters,
 * e.g. for an NDA), an anonymous visitor's as a per-day counter (see anonymous-activity.ts).
 */
export async function recordPublicAccess(
  trx: Tx,
  ctx: VisitorContext,
  viewer: Viewer,
  doc: PublicDocument,
  kind: 'view' | 'download',
  /** What else the audit entry says, e.g. that a watermarked copy was served. */
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (!viewer.session) {
    countAnonymousAccess(ctx, doc, kind);
    return;
  }
  await recordAudit(trx, {
    tenantId: ctx.site.id,
    actor: viewerActor(viewer),
    action: PUBLIC_AUDIT_ACTIONS[kind],
    targetType: 'document',
    targetId: doc.id,
    details: {
      title: doc.title,
      accessLevel: doc.access_level,
      userAgent: ctx.userAgent.slice(0, 300),
      ...extra,
    },
  });
}

/**
 * A request to the public site, as its domain functions receive it: the tenant behind the address (already
 * resolved from the slug or the Host), the contact cookie if any, and the client.
 */
export interface VisitorContext extends PublicContext {
  site: { id: string; slug: string; name: string };
  sessionToken: string | undefined;
  userAgent: string;
  /**
   * Told who is looking at which site as soon as both are read, before the function's own work: an error
   * thrown after that point (an unknown document, a stale form token) is shown on a page presented like the
   * one it replaces.
   */
  onVisit?: (visit: Visit) => void;
}

/** The tenant as its public pages present it (its published profile; none of it before the first publish). */
export interface Visit {
  tenant: PublicTenant;
  profile: ProfileContent | null;
  viewer: Viewer;
}

/** Run `fn` in the visited tenant's scope with the visit (profile and viewer) read first. */
export function withVisit<T>(ctx: VisitorContext, fn: (trx: Tx, visit: Visit) => Promise<T>): Promise<T> {
  return withTenant(ctx.s.db, ctx.site.id, async (trx) => {
    const viewer = await loadViewer(trx, ctx.sessionToken);
    const profile = await readProfile(trx);
    const shown = profile.published;
    const visit: Visit = {
      tenant: {
        id: ctx.site.id,
        slug: ctx.site.slug,
        name: shown?.companyName || ctx.site.name,
        siteUrl: siteUrl(ctx.s.config.publicUrl, ctx.site.slug, profile.customDomain),
      },
      profile: shown,
      viewer,
    };
    ctx.onVisit?.(visit);
    return fn(trx, visit);
  });
}

/** The visit alone: who is looking at which site (for pages that show nothing else, e.g. the logo). */
export function readVisit(ctx: VisitorContext): Promise<Visit> {
  return withVisit(ctx, async (_trx, visit) => visit);
}

/** A listed document with what this viewer may do with it. */
export interface GatedDocument<D extends PublicDocument = PublicDocument> {
  doc: D;
  gate: Gate;
}

/** What the overview shows: the documents, the sections, and when any of it last changed. */
export interface SiteOverview {
  items: GatedDocument[];
  sections: ShownSection[];
  /** The newest change to a listed document or a section; null for an empty trust center. */
  lastUpdated: Date | null;
}

/**
 * The overview: every listed document with this viewer's gate, and the shown sections (the FAQ narrowed to
 * `faqQuery` when one is given).
 */
export function readSiteOverview(ctx: VisitorContext, input: { faqQuery?: string } = {}): Promise<SiteOverview> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const docs = await listListedDocuments(trx);
    const sections = await readShownSections(trx, input);
    const changes = [await lastSectionChange(trx), ...docs.map((d) => d.updated_at)].filter((d) => d !== null);
    return {
      items: docs.map((doc) => ({ doc, gate: gateFor(viewer, doc) })),
      sections,
      lastUpdated: changes.length ? new Date(Math.max(...changes.map((d) => d.getTime()))) : null,
    };
  });
}

/** One listed document and its gate, recording nothing (a page render, an asset). */
export function readSiteDocument(
  ctx: VisitorContext,
  input: { id: string },
): Promise<GatedDocument<DocumentRow> & { viewer: Viewer }> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const doc = await getListedDocument(trx, input.id);
    return { doc, gate: gateFor(viewer, doc), viewer };
  });
}

/** One listed document and its gate; an opened one records the view. */
export function viewSiteDocument(
  ctx: VisitorContext,
  input: { id: string },
): Promise<GatedDocument<DocumentRow> & { viewer: Viewer }> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const doc = await getListedDocument(trx, input.id);
    const gate = gateFor(viewer, doc);
    if (gate === 'open') await recordPublicAccess(trx, ctx, viewer, doc, 'view');
    return { doc, gate, viewer };
  });
}

/** Count an anonymous view of a page served from the cache (the render that made it counted nothing). */
export function recordCachedView(ctx: VisitorContext, doc: PublicDocument): void {
  countAnonymousAccess(ctx, doc, 'view');
}

/** An anonymous visitor's view or download, counted per document and day (see anonymous-activity.ts). */
function countAnonymousAccess(ctx: VisitorContext, doc: PublicDocument, kind: 'view' | 'download'): void {
  anonymousActivity(ctx.s).count({
    tenantId: ctx.site.id,
    documentId: doc.id,
    kind,
    ip: ctx.clientIp,
    userAgent: ctx.userAgent,
  });
}

/**
 * A document's file for this viewer, opened and recorded when the gate is open (a page, which has no file,
 * is a 404), otherwise just the gate, so the caller can send the visitor to the document's page. A contact's
 * restricted PDF comes stamped, and a view-only one never as an attachment (see openPublicFile). The hand-out
 * is recorded after the file is ready, so the audit entry says whether the copy was watermarked.
 */
export async function downloadSiteDocument(
  ctx: VisitorContext,
  input: { id: string; disposition: 'inline' | 'attachment' },
): Promise<{ doc: DocumentRow; gate: Gate; file: PublicFile | null }> {
  const { doc, gate, viewer } = await withVisit(ctx, async (trx, { viewer }) => {
    const row = await getListedDocument(trx, input.id);
    return { doc: row, gate: gateFor(viewer, row), viewer };
  });
  if (gate !== 'open') return { doc, gate, file: null };
  const { file, audit } = await openPublicFile(ctx.s, {
    doc,
    contact: viewer.session?.contact,
    disposition: input.disposition,
  });
  await withTenant(ctx.s.db, ctx.site.id, (trx) => recordPublicAccess(trx, ctx, viewer, doc, 'download', audit));
  return { doc, gate, file };
}

/**
 * The HTML of an opened document with its links to other imported Notion pages resolved for this viewer: to
 * the page of that document on this site when the viewer may open it, otherwise plain text, and for an
 * internal document not even its title. Links to pages not imported stay Notion links, marked as leading
 * outside. Resolved on every render (anonymous pages are cached by the site's content version, which any
 * import or change of level moves), so a target imported later is linked from then on.
 */
export async function resolveSiteLinks(
  ctx: VisitorContext,
  input: { html: string | null; base: string; viewer: Viewer },
): Promise<string | null> {
  const { html, viewer } = input;
  const ids = html === null ? [] : linkedPageIds(html);
  if (html === null || ids.length === 0) return html;
  const targets = await withTenant(ctx.s.db, ctx.site.id, (trx) => findLinkTargets(trx, ids));
  return rewritePageLinks(html, (pageId) => {
    const target = targets.get(pageId);
    if (!target) return null;
    if (target.access_level === 'internal') return { text: 'an internal document' };
    return gateFor(viewer, target) === 'open' ? { href: `${input.base}/documents/${target.id}` } : { text: null };
  });
}
