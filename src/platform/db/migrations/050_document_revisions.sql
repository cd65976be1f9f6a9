-- Versions of a document's content (see src/documents/revisions.ts). The documents row stays the published
-- copy that the trust center serves; newer content read from Notion waits here as a `pending` revision until
-- a content manager publishes or dismisses it, and every published version is kept as history.
create table document_revisions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  status text not null check (status in ('pending', 'published', 'dismissed')),
  -- Where the content came from: an import or sync from Notion, or an edit or upload in the admin panel.
  origin text not null check (origin in ('notion', 'manual')),
  title text not null check (length(title) between 1 and 500),
  kind text not null check (kind in ('markdown', 'file')),
  body_markdown text,
  file_key text,
  file_name text,
  file_content_type text,
  file_size bigint,
  file_sha256 text,
  content_hash text,
  warnings jsonb not null default '[]',
  -- The Notion edit this content was read from (null for content made in the admin panel).
  source_last_edited_time timestamptz,
  -- Who read or wrote the content (a person, or the sync), as the audit log names them.
  created_by_label text not null default '',
  created_at timestamptz not null default now(),
  -- Who published or dismissed it, and when.
  decided_by uuid references users(id) on delete set null,
  decided_by_label text,
  decided_at timestamptz,
  check ((kind = 'markdown' and body_markdown is not null) or (kind = 'file' and file_key is not null)),
  check ((status = 'pending') = (decided_at is null))
);
create index document_revisions_document_idx on document_revisions (tenant_id, document_id, created_at desc);
-- At most one revision waits for review per document: newer Notion content replaces the waiting one.
create unique index document_revisions_one_pending on document_revisions (document_id) where status = 'pending';

alter table document_revisions enable row level security;
create policy tenant_isolation on document_revisions using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on document_revisions to app_user;

-- Every existing document starts its history with the version it has now.
insert into document_revisions (tenant_id, document_id, status, origin, title, kind, body_markdown, file_key,
    file_name, file_content_type, file_size, file_sha256, content_hash, warnings, source_last_edited_time,
    created_by_label, created_at, decided_by_label, decided_at)
  select tenant_id, id, 'published', case when source = 'notion' then 'notion' else 'manual' end, title, kind,
    body_markdown, file_key, file_name, file_content_type, file_size, file_sha256, content_hash, warnings,
    content_last_edited_time, '', updated_at, '', updated_at
  from documents;

-- The revision waiting for review, kept on the document so the library can list and filter by it.
alter table documents add column pending_revision_id uuid references document_revisions(id) on delete set null;
