import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type { AccessMapping } from '../../../src/contracts/integrations.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { AccessBadge } from './badges.tsx';
import { ErrorState, Loading } from './states.tsx';
import { roleReason, useMe } from '../session/session.tsx';
import { AccessLevelOptions } from './access-level-options.tsx';

/**
 * Access levels read from Notion: which select/status property of the pages' database decides a document's
 * level, and what each option means. Everyone signed in sees it; admins edit it.
 */
export function AccessMappingEditor() {
  const me = useMe();
  const reason = roleReason(me.user.role, 'admin', 'change the access-level mapping');
  const mapping = useQuery(queries.notion.accessMapping);
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => endpoints.notion.saveAccessMapping({ mapping: null }),
    meta: { invalidates: [queryKeys.notion.all] },
  });

  return (
    <section className="card" aria-labelledby="access-mapping-title">
      <h2 id="access-mapping-title">Access levels from Notion</h2>
      <p className="muted">
        If your Notion database tracks who may read each page (for example a “Trust access” property), its options can
        set each document’s access level — on import and whenever the page changes. A page without an option keeps its
        level. A change that makes a document more public waits for review, like changed content.
      </p>
      {mapping.isPending ? (
        <Loading label="Loading the mapping…" />
      ) : mapping.error ? (
        <ErrorState error={mapping.error} onRetry={() => void mapping.refetch()} />
      ) : editing ? (
        <MappingForm current={mapping.data.mapping} onDone={() => setEditing(false)} />
      ) : (
        <>
          {mapping.data.mapping ? (
            <MappingSummary mapping={mapping.data.mapping} />
          ) : (
            <p>No property is mapped: access levels are set in the trust center only.</p>
          )}
          <div className="actions">
            <button type="button" className="btn" disabled={reason !== null} onClick={() => setEditing(true)}>
              {mapping.data.mapping ? 'Change mapping' : 'Map a Notion property'}
            </button>
            {mapping.data.mapping && (
              <button
                type="button"
                className="btn btn-danger-outline"
                disabled={reason !== null || remove.isPending}
                onClick={() => remove.mutate()}
              >
                Stop reading levels from Notion
              </button>
            )}
          </div>
          {reason && <p className="muted">{reason}</p>}
          {remove.error && (
            <p className="form-error" role="alert">
              {errorMessage(remove.error)}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function MappingSummary({ mapping }: { mapping: AccessMapping }) {
  const entries = Object.entries(mapping.options);
  return (
    <>
      <p>
        Property <strong>{mapping.propertyName}</strong>:
      </p>
      <ul className="mapping-list" aria-label="Option to access level">
        {entries.map(([option, level]) => (
          <li key={option}>
            “{option}” → <AccessBadge level={level} />
          </li>
        ))}
      </ul>
      <p className="muted">
        {mapping.publishMorePublic
          ? 'A change that makes a document more public is applied at once.'
          : 'A change that makes a document more public waits for review.'}
      </p>
    </>
  );
}

function MappingForm({ current, onDone }: { current: AccessMapping | null; onDone: () => void }) {
  const ids = { db: useId(), prop: useId(), more: useId() };
  const databases = useInfiniteQuery(queries.notion.browse({ type: 'database' }));
  const [dataSourceId, setDataSourceId] = useState(current?.dataSourceId ?? '');
  const properties = useQuery(queries.notion.properties(dataSourceId));
  const [propertyName, setPropertyName] = useState(current?.propertyName ?? '');
  const [options, setOptions] = useState<Record<string, AccessLevel>>(current?.options ?? {});
  const [publishMorePublic, setPublishMorePublic] = useState(current?.publishMorePublic ?? false);
  const save = useMutation({
    mutationFn: () =>
      endpoints.notion.saveAccessMapping({
        mapping: { dataSourceId: dataSourceId || null, propertyName, options, publishMorePublic },
      }),
    meta: { invalidates: [queryKeys.notion.all] },
    onSuccess: onDone,
  });
  const property = properties.data?.properties.find((p) => p.name === propertyName);
  const setLevel = (option: string, level: AccessLevel | '') =>
    setOptions((prev) => {
      const next = { ...prev };
      if (level === '') delete next[option];
      else next[option] = level;
      return next;
    });

  return (
    <form
      className="mapping-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="field">
        <label htmlFor={ids.db}>Notion database</label>
        <select
          id={ids.db}
          value={dataSourceId}
          onChange={(e) => {
            setDataSourceId(e.target.value);
            setPropertyName('');
            setOptions({});
          }}
        >
          <option value="">Choose a database…</option>
          {(databases.data ?? []).map((db) => (
            <option key={db.id} value={db.id}>
              {db.title}
            </option>
          ))}
        </select>
        {databases.isPending && <span className="muted">Loading databases…</span>}
      </div>
      {dataSourceId &&
        (properties.isPending ? (
          <Loading label="Reading the database’s properties…" />
        ) : properties.error ? (
          <ErrorState error={properties.error} onRetry={() => void properties.refetch()} />
        ) : properties.data.properties.length === 0 ? (
          <p>This database has no select or status property. Add one in Notion, then come back.</p>
        ) : (
          <div className="field">
            <label htmlFor={ids.prop}>Property that says who may read a page</label>
            <select
              id={ids.prop}
              value={propertyName}
              onChange={(e) => {
                setPropertyName(e.target.value);
                setOptions({});
              }}
            >
              <option value="">Choose a property…</option>
              {properties.data.properties.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.type})
                </option>
              ))}
            </select>
          </div>
        ))}
      {property && (
        <fieldset className="mapping-options">
          <legend>Access level for each option</legend>
          {property.options.map((option) => (
            <label key={option} className="mapping-row">
              <span>“{option}”</span>
              <select
                aria-label={`Access level for “${option}”`}
                value={options[option] ?? ''}
                onChange={(e) => setLevel(option, e.target.value as AccessLevel | '')}
              >
                <option value="">Keep the document’s level</option>
                <AccessLevelOptions />
              </select>
            </label>
          ))}
        </fieldset>
      )}
      {property && (
        <label className="checkbox-row" htmlFor={ids.more}>
          <input
            id={ids.more}
            type="checkbox"
            checked={publishMorePublic}
            onChange={(e) => setPublishMorePublic(e.target.checked)}
          />
          <span>Apply changes that make a document more public without review</span>
        </label>
      )}
      {save.error && (
        <p className="form-error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={!property || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save mapping'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
