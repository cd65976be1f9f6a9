/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { GatedDocument, SiteOverview } from '../../trust-center/public-access.ts';
import { formatDate, Icons, kindLabel, Layout, LevelBadge, SignInLinkForm, type PageContext } from './layout.tsx';
import { OverviewSection, SECTION_TITLE } from './overview-sections.tsx';

const docUrl = (ctx: PageContext, id: string) => `${ctx.base}/documents/${id}`;

const DocAction: FC<{ ctx: PageContext; item: GatedDocument }> = ({ ctx, item: { doc, gate } }) => {
  const url = docUrl(ctx, doc.id);
  const label = doc.title;
  switch (gate) {
    case 'open':
      return doc.kind === 'file' ? (
        <a class="btn ghost small" href={`${url}/file`} aria-label={`Download ${label}`}>
          {Icons.download(16)}Download
        </a>
      ) : (
        <a class="btn ghost small" href={url} aria-label={`Read ${label}`}>
          Read
        </a>
      );
    case 'nda_required':
      return (
        <a class="btn primary small" href={url} aria-label={`Review the NDA to open ${label}`}>
          Review NDA
        </a>
      );
    case 'nda_unavailable':
      return <span class="muted">Coming soon</span>;
    case 'locked':
      return (
        <a class="btn primary small" href={`${url}#request`} aria-label={`Request access to ${label}`}>
          Request access
        </a>
      );
    case 'hidden':
      return null;
  }
};

const DocRow: FC<{ ctx: PageContext; item: GatedDocument; choosable?: boolean }> = ({ ctx, item, choosable }) => {
  const { doc, gate } = item;
  const locked = gate === 'locked';
  return (
    <li class={`doc${locked ? ' locked' : ''}`}>
      {choosable ? (
        <input class="choose" type="checkbox" name="doc" value={doc.id} aria-label={`Choose ${doc.title}`} />
      ) : null}
      <span class="icon">{locked ? Icons.lock() : doc.kind === 'file' ? Icons.file() : Icons.page()}</span>
      <div class="body">
        <a class="title" href={docUrl(ctx, doc.id)}>
          {doc.title}
        </a>
        <div class="meta">
          <span>{kindLabel(doc)}</span>
          <LevelBadge level={doc.access_level} />
          <span>Updated {formatDate(doc.updated_at)}</span>
        </div>
      </div>
      <div class="action">
        <DocAction ctx={ctx} item={item} />
      </div>
    </li>
  );
};

const Group: FC<{
  ctx: PageContext;
  id: string;
  heading: string;
  items: GatedDocument[];
  empty?: string;
}> = ({ ctx, id, heading, items, empty }) =>
  items.length === 0 && !empty ? null : (
    <section class="group" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {items.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ul class="docs">
          {items.map((item) => (
            <DocRow ctx={ctx} item={item} />
          ))}
        </ul>
      )}
    </section>
  );

/**
 * Restricted documents, each with a checkbox: the visitor ticks several and asks for them in one request (a
 * plain GET form to the request page, so the page stays cacheable and script-free).
 */
const RequestGroup: FC<{ ctx: PageContext; items: GatedDocument[] }> = ({ ctx, items }) =>
  items.length === 0 ? null : (
    <section class="group" aria-labelledby="restricted">
      <h2 id="restricted">Available on request</h2>
      <form method="get" action={`${ctx.base}/request`} class="request-many">
        <ul class="docs">
          {items.map((item) => (
            <DocRow ctx={ctx} item={item} choosable={items.length > 1} />
          ))}
        </ul>
        {items.length > 1 ? (
          <div class="request-many-bar">
            <span class="muted">Need several? Tick them and ask once.</span>
            <button class="btn primary small" type="submit">
              Request the chosen documents
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );

/**
 * The trust center's front page: documents grouped by what the viewer can do with them, then the sections
 * the content managers arranged, with a table of contents when there are any.
 */
export const OverviewPage: FC<{
  ctx: PageContext;
  overview: SiteOverview;
  notice?: string;
}> = ({ ctx, overview: { items, sections, lastUpdated }, notice }) => {
  const shared = ctx.contact ? items.filter((i) => i.doc.access_level !== 'public' && i.gate !== 'locked') : [];
  const publicDocs = items.filter((i) => i.doc.access_level === 'public');
  const onRequest = items.filter((i) => i.gate === 'locked');
  const reports = new Map(items.map((i) => [i.doc.id, i]));
  return (
    <Layout ctx={ctx} title="Overview" description={`Security and compliance documents from ${ctx.tenant.name}.`}>
      <div class="hero">
        <span class="icon">{Icons.shield(28)}</span>
        <div>
          <h1>{ctx.tenant.name} Trust Center</h1>
          <p>
            {ctx.brand.intro ||
              'Security, privacy and compliance documentation for customers and prospects. Public documents are open to everyone; restricted ones are shared with approved contacts on request.'}
          </p>
          {lastUpdated ? (
            <p class="updated">
              Last updated <time datetime={lastUpdated.toISOString()}>{formatDate(lastUpdated)}</time>
            </p>
          ) : null}
        </div>
      </div>
      {notice ? (
        <p class="notice ok" role="status">
          {notice}
        </p>
      ) : null}
      {sections.length ? (
        <nav class="toc" aria-label="On this page">
          <a href="#documents">Documents</a>
          {sections.map((s) => (
            <a href={`#${s.kind}`}>{SECTION_TITLE[s.kind]}</a>
          ))}
        </nav>
      ) : null}
      <div id="documents">
        <Group ctx={ctx} id="shared" heading="Shared with you" items={shared} />
        <Group ctx={ctx} id="public" heading="Public documents" items={publicDocs} empty="No public documents yet." />
        <RequestGroup ctx={ctx} items={onRequest} />
      </div>
      {sections.map((section) => (
        <OverviewSection ctx={ctx} section={section} reports={reports} />
      ))}
      {ctx.contact ? null : <SignInLinkForm ctx={ctx} />}
    </Layout>
  );
};
