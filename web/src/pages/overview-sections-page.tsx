import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type {
  OverviewItem,
  OverviewItemInput,
  OverviewKind,
  OverviewSections,
} from '../../../src/contracts/overview-sections.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ACCESS_LEVEL_LABELS } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { TextField } from '../components/text-field.tsx';

type Section = OverviewSections['sections'][number];
type Item<K extends OverviewKind> = Extract<OverviewItem, { kind: K }>;

/** What each section is called and what to say when it is empty. */
const SECTIONS: Record<OverviewKind, { title: string; noun: string; empty: string }> = {
  certifications: {
    title: 'Certifications and frameworks',
    noun: 'certification',
    empty:
      'No certifications yet. Add the standards you meet or are working towards, such as SOC 2 or ISO 27001, and link the report if you have one.',
  },
  subprocessors: {
    title: 'Subprocessors',
    noun: 'subprocessor',
    empty: 'No subprocessors yet. List the companies that process your customers’ data on your behalf.',
  },
  faq: {
    title: 'Security FAQ',
    noun: 'question',
    empty: 'No questions yet. Answer what customers ask most often in security reviews; visitors can search them.',
  },
  updates: {
    title: 'Security updates',
    noun: 'update',
    empty: 'No updates yet. Post news such as a new certification or how an industry-wide vulnerability affects you.',
  },
};

const invalidates = { invalidates: [queryKeys.overviewSections] };

/** The sections of the public overview: their order and visibility, and the entries of each. */
export function OverviewSectionsPage() {
  const overview = useQuery(queries.overviewSections);
  const header = (
    <PageHeader
      title="Overview sections"
      description="What visitors see on your trust center besides the documents. Every change is live as soon as you save it."
    />
  );
  if (overview.error)
    return (
      <>
        {header}
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      </>
    );
  if (!overview.data)
    return (
      <>
        {header}
        <Loading />
      </>
    );
  return (
    <>
      {header}
      <Arrangement sections={overview.data.sections} />
      {overview.data.sections.map((section) => (
        <SectionCard key={section.kind} section={section} />
      ))}
    </>
  );
}

/** Move the element at `index` one place up (-1) or down (+1). */
function moved<T>(list: T[], index: number, step: -1 | 1): T[] {
  const next = [...list];
  [next[index], next[index + step]] = [next[index + step]!, next[index]!];
  return next;
}

/** The order of the sections on the overview and which are shown. */
function Arrangement({ sections }: { sections: Section[] }) {
  const arrange = useMutation({
    mutationFn: (list: { kind: OverviewKind; visible: boolean }[]) =>
      endpoints.overviewSections.arrange({ sections: list }),
    meta: invalidates,
  });
  const layout = sections.map(({ kind, visible }) => ({ kind, visible }));
  return (
    <section className="card" aria-labelledby="arrangement-title">
      <h2 id="arrangement-title">Order on the page</h2>
      <p className="muted">
        Sections appear below the documents in this order. A section without entries is not shown; untick one to hide it
        without deleting its entries.
      </p>
      {arrange.error && <Notice kind="error">{errorMessage(arrange.error)}</Notice>}
      <ol className="section-order">
        {layout.map((s, i) => (
          <li key={s.kind}>
            <label className="field-check">
              <input
                type="checkbox"
                checked={s.visible}
                disabled={arrange.isPending}
                onChange={(e) =>
                  arrange.mutate(layout.map((x) => (x.kind === s.kind ? { ...x, visible: e.target.checked } : x)))
                }
              />
              {SECTIONS[s.kind].title}
            </label>
            <MoveButtons
              label={SECTIONS[s.kind].title}
              index={i}
              count={layout.length}
              disabled={arrange.isPending}
              onMove={(step) => arrange.mutate(moved(layout, i, step))}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function MoveButtons(props: {
  label: string;
  index: number;
  count: number;
  disabled: boolean;
  onMove: (step: -1 | 1) => void;
}) {
  return (
    <span className="move-buttons">
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Move ${props.label} up`}
        disabled={props.disabled || props.index === 0}
        onClick={() => props.onMove(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Move ${props.label} down`}
        disabled={props.disabled || props.index === props.count - 1}
        onClick={() => props.onMove(1)}
      >
        ↓
      </button>
    </span>
  );
}

/** One section: its entries with edit, move and remove, and a form to add one. */
function SectionCard({ section }: { section: Section }) {
  const meta = SECTIONS[section.kind];
  const [editing, setEditing] = useState<OverviewItem | 'new' | null>(null);
  const [removing, setRemoving] = useState<OverviewItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reorder = useMutation({
    // Never offered for security updates, which are listed by date.
    mutationFn: (ids: string[]) =>
      endpoints.overviewSections.reorder(section.kind as Exclude<OverviewKind, 'updates'>, ids),
    meta: invalidates,
  });
  const remove = useMutation({
    mutationFn: (item: OverviewItem) => endpoints.overviewSections.remove(item.id),
    meta: invalidates,
    onSuccess: (_done, item) => setNotice(`Removed “${itemLabel(item)}”.`),
  });
  const ids = section.items.map((i) => i.id);
  const titleId = `section-${section.kind}`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId}>
          {meta.title}
          {section.visible ? null : <span className="muted"> (hidden)</span>}
        </h2>
        {editing !== 'new' && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing('new')}>
            Add {meta.noun}
          </button>
        )}
      </div>
      {notice && <Notice kind="success">{notice}</Notice>}
      {reorder.error && <Notice kind="error">{errorMessage(reorder.error)}</Notice>}
      {editing === 'new' && (
        <ItemForm
          kind={section.kind}
          onDone={(message) => {
            setEditing(null);
            if (message) setNotice(message);
          }}
        />
      )}
      {section.items.length === 0 ? (
        editing === 'new' ? null : (
          <p className="muted">{meta.empty}</p>
        )
      ) : (
        <ul className="entry-list">
          {section.items.map((item, i) =>
            editing !== 'new' && editing?.id === item.id ? (
              <li key={item.id}>
                <ItemForm
                  kind={section.kind}
                  item={item}
                  onDone={(message) => {
                    setEditing(null);
                    if (message) setNotice(message);
                  }}
                />
              </li>
            ) : (
              <li key={item.id} className="entry">
                <ItemSummary item={item} />
                <span className="row-actions">
                  {section.kind !== 'updates' && (
                    <MoveButtons
                      label={itemLabel(item)}
                      index={i}
                      count={ids.length}
                      disabled={reorder.isPending}
                      onMove={(step) => reorder.mutate(moved(ids, i, step))}
                    />
                  )}
                  <button type="button" className="btn btn-small" onClick={() => setEditing(item)}>
                    Edit
                  </button>
                  <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setRemoving(item)}>
                    Remove
                  </button>
                </span>
              </li>
            ),
          )}
        </ul>
      )}
      {section.kind === 'updates' && section.items.length > 1 && (
        <p className="muted">Updates are listed newest first by their date.</p>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove this ${meta.noun}?`}
        confirmLabel="Remove"
        danger
        onConfirm={() => (removing ? remove.mutateAsync(removing) : Promise.resolve())}
        onClose={() => setRemoving(null)}
      >
        <p>“{removing ? itemLabel(removing) : ''}” disappears from your trust center right away.</p>
      </ConfirmDialog>
    </section>
  );
}

const itemLabel = (item: OverviewItem) =>
  item.kind === 'faq' ? item.question : item.kind === 'updates' ? item.title : item.name;

const STATUS_LABEL = { compliant: 'Compliant', in_progress: 'In progress' } as const;

function ItemSummary({ item }: { item: OverviewItem }) {
  switch (item.kind) {
    case 'certifications':
      return (
        <span className="entry-text">
          <strong>{item.name}</strong>
          <span className="muted">
            {STATUS_LABEL[item.status]}
            {item.period ? ` · ${item.period}` : ''}
            {item.document
              ? ` · Report: ${item.document.title} (${ACCESS_LEVEL_LABELS[item.document.accessLevel]})`
              : ''}
          </span>
        </span>
      );
    case 'subprocessors':
      return (
        <span className="entry-text">
          <strong>{item.name}</strong>
          <span className="muted">{[item.purpose, item.location, item.website].filter(Boolean).join(' · ')}</span>
        </span>
      );
    case 'faq':
      return (
        <span className="entry-text">
          <strong>{item.question}</strong>
          <span className="muted">{item.answer.length > 140 ? `${item.answer.slice(0, 140)}…` : item.answer}</span>
        </span>
      );
    case 'updates':
      return (
        <span className="entry-text">
          <strong>{item.title}</strong>
          <span className="muted">{item.date}</span>
        </span>
      );
  }
}

/** The editable fields of every kind, as form strings. */
type FormValues = Record<string, string>;

function initialValues(kind: OverviewKind, item?: OverviewItem): FormValues {
  switch (kind) {
    case 'certifications': {
      const c = item as Item<'certifications'> | undefined;
      return {
        name: c?.name ?? '',
        status: c?.status ?? 'compliant',
        period: c?.period ?? '',
        documentId: c?.documentId ?? '',
      };
    }
    case 'subprocessors': {
      const s = item as Item<'subprocessors'> | undefined;
      return { name: s?.name ?? '', purpose: s?.purpose ?? '', location: s?.location ?? '', website: s?.website ?? '' };
    }
    case 'faq': {
      const f = item as Item<'faq'> | undefined;
      return { question: f?.question ?? '', answer: f?.answer ?? '' };
    }
    case 'updates': {
      const u = item as Item<'updates'> | undefined;
      return { title: u?.title ?? '', date: u?.date ?? new Date().toISOString().slice(0, 10), body: u?.body ?? '' };
    }
  }
}

function toInput(kind: OverviewKind, v: FormValues): OverviewItemInput {
  switch (kind) {
    case 'certifications':
      return {
        kind,
        name: v.name!,
        status: v.status as 'compliant' | 'in_progress',
        period: v.period!,
        documentId: v.documentId || null,
      };
    case 'subprocessors':
      return { kind, name: v.name!, purpose: v.purpose!, location: v.location!, website: v.website!.trim() };
    case 'faq':
      return { kind, question: v.question!, answer: v.answer! };
    case 'updates':
      return { kind, title: v.title!, date: v.date!, body: v.body! };
  }
}

/** Add or edit one entry; `onDone` gets a message after a save, nothing on cancel. */
function ItemForm({
  kind,
  item,
  onDone,
}: {
  kind: OverviewKind;
  item?: OverviewItem;
  onDone: (message: string | null) => void;
}) {
  const [values, setValues] = useState<FormValues>(() => initialValues(kind, item));
  const set = (field: string) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const save = useMutation({
    mutationFn: () =>
      item
        ? endpoints.overviewSections.update(item.id, toInput(kind, values))
        : endpoints.overviewSections.add(toInput(kind, values)),
    meta: invalidates,
    onSuccess: (saved) => onDone(`Saved “${itemLabel(saved)}”. It is on your trust center now.`),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form
      className="form entry-form"
      onSubmit={onSubmit}
      aria-label={item ? 'Edit entry' : `New ${SECTIONS[kind].noun}`}
    >
      {save.error && <Notice kind="error">{errorMessage(save.error)}</Notice>}
      <KindFields
        kind={kind}
        values={values}
        set={set}
        linked={item?.kind === 'certifications' ? item.document : null}
      />
      <div className="actions">
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          {item ? 'Save' : `Add ${SECTIONS[kind].noun}`}
        </button>
        <button className="btn" type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function KindFields({
  kind,
  values,
  set,
  linked,
}: {
  kind: OverviewKind;
  values: FormValues;
  set: (field: string) => (value: string) => void;
  /** The report the certification links to now (kept as a choice even when the picker's first page lacks it). */
  linked: Item<'certifications'>['document'];
}) {
  switch (kind) {
    case 'certifications':
      return (
        <>
          <TextField label="Name" value={values.name!} onChange={set('name')} required />
          <SelectField
            label="Status"
            value={values.status!}
            onChange={set('status')}
            options={[
              ['compliant', 'Compliant'],
              ['in_progress', 'In progress'],
            ]}
          />
          <TextField
            label="Period, e.g. Nov 2025 – Oct 2026"
            value={values.period!}
            onChange={set('period')}
            optional
          />
          <ReportPicker value={values.documentId!} onChange={set('documentId')} linked={linked} />
        </>
      );
    case 'subprocessors':
      return (
        <>
          <TextField label="Name" value={values.name!} onChange={set('name')} required />
          <TextField label="Purpose, e.g. hosting" value={values.purpose!} onChange={set('purpose')} optional />
          <TextField
            label="Location, e.g. EU (Frankfurt)"
            value={values.location!}
            onChange={set('location')}
            optional
          />
          <TextField label="Website (https://…)" value={values.website!} onChange={set('website')} optional />
        </>
      );
    case 'faq':
      return (
        <>
          <TextField label="Question" value={values.question!} onChange={set('question')} required />
          <TextArea label="Answer (Markdown)" value={values.answer!} onChange={set('answer')} required />
        </>
      );
    case 'updates':
      return (
        <>
          <TextField label="Title" value={values.title!} onChange={set('title')} required />
          <DateField label="Date" value={values.date!} onChange={set('date')} />
          <TextArea label="Text (Markdown)" value={values.body!} onChange={set('body')} />
        </>
      );
  }
}

function SelectField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextArea(props: { label: string; value: string; onChange: (v: string) => void; required?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={5}
        required={props.required}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function DateField(props: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} type="date" required value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  );
}

const PICKER_PAGE_SIZE = 100;

/** The certification's report: any document; visitors open it only as its access level allows. */
function ReportPicker({
  value,
  onChange,
  linked,
}: {
  value: string;
  onChange: (v: string) => void;
  linked: Item<'certifications'>['document'];
}) {
  const docs = useInfiniteQuery(queries.documents.list({}, PICKER_PAGE_SIZE));
  const listed = docs.data ?? [];
  const choices = linked && !listed.some((d) => d.id === linked.id) ? [linked, ...listed] : listed;
  const options: [string, string][] = [
    ['', 'No report'],
    ...choices.map((d): [string, string] => [d.id, `${d.title} (${ACCESS_LEVEL_LABELS[d.accessLevel]})`]),
  ];
  return (
    <>
      <SelectField
        label="Report (a document of your trust center)"
        value={value}
        onChange={onChange}
        options={options}
      />
      <p className="muted field-hint">
        The report keeps its own access level: visitors who may not open it see “Request access”.
      </p>
    </>
  );
}
