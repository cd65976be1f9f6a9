import { Link } from 'react-router-dom';
import type { ImportItemResult, ImportStatus } from '../../../src/contracts/integrations.ts';
import { Badge } from './badges.tsx';
import { describeChanges } from './revision-review.tsx';

/** Share of the import's pages that reached an end state, 0–100. */
function importPercent(status: ImportStatus | undefined): number {
  if (!status) return 0;
  if (status.status === 'completed') return 100;
  const total = status.total || status.items.length;
  if (total === 0) return 0;
  const finished = status.items.filter(
    (i) => i.status === 'succeeded' || i.status === 'failed' || i.status === 'cancelled',
  ).length;
  return Math.min(100, Math.round((finished / total) * 100));
}

/** The live progress bar of an import. */
export function ImportProgressBar({ status, label }: { status: ImportStatus | undefined; label: string }) {
  const percent = importPercent(status);
  const finished = status ? status.items.filter((i) => i.status !== 'queued' && i.status !== 'running').length : 0;
  const total = status?.total ?? 0;
  return (
    <div className="progress-block">
      <div className="progress-label">
        <span id="import-progress-label">{label}</span>
        <span aria-hidden="true">{percent} %</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-labelledby="import-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} percent, ${finished} of ${total} pages`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small">
        {finished} of {total} pages processed{status && status.failed > 0 ? ` · ${status.failed} failed` : ''}
      </p>
    </div>
  );
}

const ITEM_TONES = {
  queued: 'neutral',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'neutral',
} as const;
const ITEM_LABELS = {
  queued: 'Queued',
  running: 'Importing',
  succeeded: 'Imported',
  failed: 'Failed',
  cancelled: 'Cancelled',
} as const;

/** One line per page: success with a link, failure with its reason, warnings of degraded blocks. */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Imported as Markdown, 3 images", "Imported as the attached PDF", "Updated — 2 blocks changed; waits for review". */
function resultInWords(r: ImportItemResult): string {
  if (r.outcome === 'created') {
    if (r.kind === 'file')
      return r.fileContentType === 'application/pdf' ? 'Imported as the attached PDF' : 'Imported as the attached file';
    return r.assets > 0
      ? `Imported as Markdown, ${count(r.assets, 'image or file', 'images and files')} copied`
      : 'Imported as Markdown';
  }
  if (r.outcome === 'unchanged') return 'Already up to date — nothing changed in Notion';
  const what = r.kind === 'file' ? 'the attached file changed' : (describeChanges(r.changes) ?? 'the title changed');
  return r.outcome === 'pending' ? `Updated — ${what}; waits for your review` : `Updated — ${what}; published`;
}

export function ImportResults({ status, titles }: { status: ImportStatus; titles: ReadonlyMap<string, string> }) {
  return (
    <ul className="import-results" aria-label="Import results">
      {status.items.map((item) => (
        <li key={item.pageId} className={`import-result import-result-${item.status}`}>
          <div className="import-result-head">
            <Badge tone={ITEM_TONES[item.status]}>{ITEM_LABELS[item.status]}</Badge>
            <span className="import-result-title">{item.title ?? titles.get(item.pageId) ?? item.pageId}</span>
            {item.documentId && item.status === 'succeeded' && (
              <Link to={`/documents/${item.documentId}`}>Open document</Link>
            )}
          </div>
          {item.result && <p className="import-result-words">{resultInWords(item.result)}</p>}
          {item.error && <p className="import-error">{item.error}</p>}
          {item.warnings.length > 0 && (
            <details className="warnings">
              <summary>
                {item.warnings.length} warning{item.warnings.length === 1 ? '' : 's'} — some blocks could not be
                converted exactly
              </summary>
              <ul>
                {item.warnings.map((w, i) => (
                  <li key={`${w.blockId ?? ''}-${i}`}>
                    {w.blockType && <code>{w.blockType}</code>} {w.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
