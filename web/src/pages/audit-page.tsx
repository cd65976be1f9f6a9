import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { AUDIT_KIND_IDS, AUDIT_KINDS, type AuditKind } from '../../../src/contracts/audit-sentences.ts';
import { queries } from '../api/queries.ts';
import { AuditEntryItem } from '../components/audit-entry.tsx';
import { endOfDayIso } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useDebounced } from '../hooks/use-debounced.ts';

const PAGE_SIZE = 50;
const DOCUMENT_CHOICES = 100;

/** A `<input type="date">` value as the start of that local day in ISO form, or undefined when empty. */
function startOfDayIso(date: string): string | undefined {
  const d = new Date(`${date}T00:00:00`);
  return date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

/** The tenant's audit log as sentences, newest first, filtered by who, what kind, document and date. */
export function AuditPage() {
  const [who, setWho] = useState('');
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [documentId, setDocumentId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const id = useId();
  const debouncedWho = useDebounced(who.trim(), 300);
  const documents = useInfiniteQuery(queries.documents.list({}, DOCUMENT_CHOICES));
  const filtered = Boolean(debouncedWho || kind || documentId || from || to);
  const entries = useInfiniteQuery(
    queries.audit(
      {
        who: debouncedWho || undefined,
        kind: kind || undefined,
        ...(documentId ? { targetType: 'document', targetId: documentId } : {}),
        from: startOfDayIso(from),
        to: endOfDayIso(to) ?? undefined,
      },
      PAGE_SIZE,
    ),
  );

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Entries cannot be edited or removed." />
      <section className="card">
        <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={`${id}-who`}>Who</label>
            <input
              id={`${id}-who`}
              type="search"
              value={who}
              placeholder="Name, email or company"
              onChange={(e) => setWho(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-kind`}>What</label>
            <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
              <option value="">Everything</option>
              {AUDIT_KIND_IDS.map((k) => (
                <option key={k} value={k}>
                  {AUDIT_KINDS[k].label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-doc`}>Document</label>
            <select id={`${id}-doc`} value={documentId} onChange={(e) => setDocumentId(e.target.value)}>
              <option value="">Any document</option>
              {(documents.data ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
        </form>
        {entries.error && !entries.isFetchNextPageError ? (
          <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
        ) : !entries.data ? (
          <Loading label="Loading audit log…" />
        ) : entries.data.length === 0 ? (
          <EmptyState title={filtered ? 'Nothing matches these filters' : 'No entries yet'}>
            {filtered ? 'Try another person, kind of activity or date range.' : undefined}
          </EmptyState>
        ) : (
          <ul className="audit-list" aria-label="Audit entries">
            {entries.data.map((e) => (
              <AuditEntryItem key={e.id} entry={e} />
            ))}
          </ul>
        )}
        <LoadMore list={entries} label="Load older entries" />
      </section>
    </>
  );
}
