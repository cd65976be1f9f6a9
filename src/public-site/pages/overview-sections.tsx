/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { OverviewItem, OverviewKind } from '../../contracts/overview-sections.ts';
import { renderMarkdownSafe } from '../../documents/render-markdown.ts';
import type { GatedDocument } from '../../trust-center/public-access.ts';
import type { ShownSection } from '../../trust-center/overview-sections.service.ts';
import { formatDate, Icons, type PageContext } from './layout.tsx';

type Item<K extends OverviewKind> = Extract<OverviewItem, { kind: K }>;

/** Section headings, also used for the page's table of contents. */
export const SECTION_TITLE: Record<OverviewKind, string> = {
  certifications: 'Certifications and frameworks',
  subprocessors: 'Subprocessors',
  faq: 'Security FAQ',
  updates: 'Security updates',
};

/** Markdown written by content managers, sanitized like every document body. */
const Markdown: FC<{ source: string }> = ({ source }) => (
  <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdownSafe(source) }} />
);

/** A calendar day (YYYY-MM-DD) as the site prints dates. */
const day = (iso: string) => formatDate(new Date(`${iso}T00:00:00Z`));

/** The report of a certification: open it, or see that it is restricted and ask for it. */
const ReportLink: FC<{ ctx: PageContext; report: GatedDocument }> = ({ ctx, report: { doc, gate } }) => {
  const url = `${ctx.base}/documents/${doc.id}`;
  switch (gate) {
    case 'open':
      return (
        <a class="btn ghost small" href={doc.kind === 'file' ? `${url}/file` : url} aria-label={`Open ${doc.title}`}>
          {doc.kind === 'file' ? Icons.download(16) : Icons.page(16)}Report
        </a>
      );
    case 'nda_required':
      return (
        <a class="btn primary small" href={url} aria-label={`Review the NDA to open ${doc.title}`}>
          Review NDA
        </a>
      );
    case 'nda_unavailable':
      return <span class="muted">Report coming soon</span>;
    case 'locked':
      return (
        <a class="btn ghost small" href={`${url}#request`} aria-label={`Request access to ${doc.title}`}>
          {Icons.lock(14)}Request access
        </a>
      );
    case 'hidden':
      return null;
  }
};

const Certifications: FC<{
  ctx: PageContext;
  items: Item<'certifications'>[];
  reports: Map<string, GatedDocument>;
}> = ({ ctx, items, reports }) => (
  <ul class="certs">
    {items.map((cert) => {
      const report = cert.documentId ? reports.get(cert.documentId) : undefined;
      return (
        <li class="cert">
          <span class="icon">{Icons.shield(22)}</span>
          <div class="body">
            <strong class="title">{cert.name}</strong>
            <div class="meta">
              <span class={`badge ${cert.status === 'compliant' ? 'compliant' : 'in-progress'}`}>
                {cert.status === 'compliant' ? 'Compliant' : 'In progress'}
              </span>
              {cert.period ? <span>{cert.period}</span> : null}
            </div>
          </div>
          {report ? (
            <div class="action">
              <ReportLink ctx={ctx} report={report} />
            </div>
          ) : null}
        </li>
      );
    })}
  </ul>
);

/** A table on wide screens; on a phone each row becomes a small card (CSS only), so nothing scrolls sideways. */
const Subprocessors: FC<{ items: Item<'subprocessors'>[] }> = ({ items }) => (
  <table class="subs">
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Purpose</th>
        <th scope="col">Location</th>
      </tr>
    </thead>
    <tbody>
      {items.map((sub) => (
        <tr>
          <th scope="row">
            {sub.website ? (
              <a href={sub.website} rel="noopener noreferrer nofollow">
                {sub.name}
              </a>
            ) : (
              sub.name
            )}
          </th>
          <td data-label="Purpose">{sub.purpose || '—'}</td>
          <td data-label="Location">{sub.location || '—'}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** Questions as native disclosure widgets (no script), with a plain GET search. */
const Faq: FC<{ ctx: PageContext; items: Item<'faq'>[]; query: string | undefined }> = ({ ctx, items, query }) => (
  <>
    <form class="inline-form faq-search" method="get" action={`${ctx.base || '/'}#faq`} role="search">
      <label class="sr-only" for="faq-q">
        Search the FAQ
      </label>
      <input id="faq-q" type="search" name="q" value={query ?? ''} maxlength={200} placeholder="Search questions" />
      <button class="btn ghost" type="submit">
        Search
      </button>
      {query ? (
        <a class="btn ghost" href={`${ctx.base || '/'}#faq`}>
          Clear
        </a>
      ) : null}
    </form>
    {query !== undefined ? (
      <p class="muted" role="status">
        {items.length === 0
          ? `No questions match “${query}”.`
          : `${items.length} ${items.length === 1 ? 'question matches' : 'questions match'} “${query}”.`}
      </p>
    ) : null}
    <div class="faq">
      {items.map((item) => (
        <details open={query !== undefined}>
          <summary>{item.question}</summary>
          <Markdown source={item.answer} />
        </details>
      ))}
    </div>
  </>
);

const Updates: FC<{ items: Item<'updates'>[] }> = ({ items }) => (
  <div class="updates">
    {items.map((post) => (
      <article class="update">
        <h3>{post.title}</h3>
        <p class="meta">
          <time datetime={post.date}>{day(post.date)}</time>
        </p>
        {post.body ? <Markdown source={post.body} /> : null}
      </article>
    ))}
  </div>
);

/** One section of the overview; `reports` are the listed documents with this viewer's gate, by id. */
export const OverviewSection: FC<{ ctx: PageContext; section: ShownSection; reports: Map<string, GatedDocument> }> = ({
  ctx,
  section,
  reports,
}) => (
  <section class="group" id={section.kind} aria-labelledby={`${section.kind}-heading`}>
    <h2 id={`${section.kind}-heading`}>{SECTION_TITLE[section.kind]}</h2>
    {section.kind === 'certifications' ? (
      <Certifications ctx={ctx} items={section.items} reports={reports} />
    ) : section.kind === 'subprocessors' ? (
      <Subprocessors items={section.items} />
    ) : section.kind === 'faq' ? (
      <Faq ctx={ctx} items={section.items} query={section.query} />
    ) : (
      <Updates items={section.items} />
    )}
  </section>
);
