import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queryKeys } from '../api/queries.ts';
import { PageHeader } from '../components/layout.tsx';
import { AccessLevelOptions } from '../components/access-level-options.tsx';

type Mode = 'markdown' | 'file';

/** Write a Markdown document or upload a file. */
export function NewDocumentPage() {
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>('markdown');
  const [title, setTitle] = useState('');
  const [accessLevel, setAccessLevel] = useState<AccessLevel>('internal');
  const [markdown, setMarkdown] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const create = useMutation({
    mutationFn: () => {
      if (mode === 'markdown')
        return endpoints.documents.createMarkdown({ title: title.trim(), markdown, accessLevel });
      if (!file) throw new Error('Choose a file to upload.');
      return endpoints.documents.upload({ title: title.trim() || file.name, accessLevel, file });
    },
    meta: { invalidates: [queryKeys.documents.lists] },
    onSuccess: (doc) => navigate(`/documents/${doc.id}`),
  });
  const ids = { title: useId(), access: useId(), markdown: useId(), file: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <>
      <p className="back">
        <Link to="/documents">← Documents</Link>
      </p>
      <PageHeader
        title="New document"
        description="Write a document in Markdown or upload a file such as a PDF report."
      />
      <section className="card narrow">
        <div className="segmented" role="radiogroup" aria-label="Kind of document">
          <label className={mode === 'markdown' ? 'active' : ''}>
            <input type="radio" name="mode" checked={mode === 'markdown'} onChange={() => setMode('markdown')} />
            Write Markdown
          </label>
          <label className={mode === 'file' ? 'active' : ''}>
            <input type="radio" name="mode" checked={mode === 'file'} onChange={() => setMode('file')} />
            Upload a file
          </label>
        </div>
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={ids.title}>
              Title{mode === 'file' && <span className="muted"> (defaults to the file name)</span>}
            </label>
            <input
              id={ids.title}
              required={mode === 'markdown'}
              maxLength={500}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.access}>Access level</label>
            <select id={ids.access} value={accessLevel} onChange={(e) => setAccessLevel(e.target.value as AccessLevel)}>
              <AccessLevelOptions />
            </select>
          </div>
          {mode === 'markdown' ? (
            <div className="field">
              <label htmlFor={ids.markdown}>Content (Markdown)</label>
              <textarea
                id={ids.markdown}
                rows={14}
                value={markdown}
                onChange={(e) => setMarkdown(e.target.value)}
                placeholder={'# Heading\n\nWrite your document here…'}
              />
            </div>
          ) : (
            <div className="field">
              <label htmlFor={ids.file}>File</label>
              <input id={ids.file} type="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
          )}
          {create.error && (
            <p className="form-error" role="alert">
              {errorMessage(create.error)}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? 'Saving…' : mode === 'markdown' ? 'Create document' : 'Upload'}
            </button>
            <Link className="btn" to="/documents">
              Cancel
            </Link>
          </div>
        </form>
      </section>
    </>
  );
}
