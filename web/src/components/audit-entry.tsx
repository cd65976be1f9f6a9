import { formatDateTime } from './format.ts';

interface Entry {
  sentence: string;
  createdAt: string;
  action: string;
  actorType: string;
  actorLabel: string;
  targetType?: string | null;
  targetId?: string | null;
  documentId?: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One audit or activity entry as its sentence and time; the raw record (event code, ids, address, user
 * agent) stays behind a "Details" disclosure for whoever needs to trace it.
 */
export function AuditEntryItem({ entry }: { entry: Entry }) {
  const target = entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : entry.documentId;
  const raw: [string, string][] = [
    ['Event', entry.action],
    ['Actor', `${entry.actorLabel} (${entry.actorType.replace('_', ' ')})`],
    ...(target ? ([['Target', target]] as [string, string][]) : []),
    ...(entry.ip ? ([['Address', entry.ip]] as [string, string][]) : []),
    ...Object.entries(entry.details).map(([k, v]): [string, string] => [k, value(v)]),
  ];
  return (
    <li className="audit-entry">
      <p className="audit-sentence">{entry.sentence}</p>
      <div className="audit-meta">
        <time className="muted small" dateTime={entry.createdAt}>
          {formatDateTime(entry.createdAt)}
        </time>
        <details className="audit-details">
          <summary>Details</summary>
          <dl>
            {raw.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </details>
      </div>
    </li>
  );
}
