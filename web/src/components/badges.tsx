import type { DocumentSummary } from '../../../src/contracts/documents.ts';
import { ACCESS_LEVEL_LABELS, SOURCE_STATUS_LABELS } from './format.ts';

type Tone = 'neutral' | 'green' | 'yellow' | 'red' | 'blue' | 'purple';

/** A small coloured label. */
export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: string; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const ACCESS_TONES: Record<DocumentSummary['accessLevel'], Tone> = {
  public: 'green',
  contacts_nda: 'purple',
  contacts: 'blue',
  internal: 'neutral',
};

/** Who may read a document. */
export function AccessBadge({ level }: { level: DocumentSummary['accessLevel'] }) {
  return <Badge tone={ACCESS_TONES[level]}>{ACCESS_LEVEL_LABELS[level]}</Badge>;
}

/** "Update available" and source-gone badges; nothing when the source is fine. */
export function SourceBadges({ doc }: { doc: Pick<DocumentSummary, 'sourceStatus' | 'updateAvailable' | 'source'> }) {
  return (
    <>
      {doc.updateAvailable && (
        <Badge tone="yellow" title="The Notion page changed after it was imported. Re-import to update.">
          Update available
        </Badge>
      )}
      {doc.sourceStatus !== 'ok' && (
        <Badge tone={doc.sourceStatus === 'disconnected' ? 'neutral' : 'red'} title="The document's content is kept.">
          {SOURCE_STATUS_LABELS[doc.sourceStatus]}
        </Badge>
      )}
    </>
  );
}
