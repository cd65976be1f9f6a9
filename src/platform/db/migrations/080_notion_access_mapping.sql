-- Access levels read from Notion: per tenant, a select or status property of the pages' data source and which
-- access level each of its options means. Pages without the property, or with an unmapped option, keep the
-- level they have.
create table notion_access_mappings (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  -- The data source the property was picked from (the editor reopens on it); the mapping applies by name.
  data_source_id text check (length(data_source_id) <= 64),
  property_name text not null check (length(property_name) between 1 and 200),
  -- Option name → access level.
  options jsonb not null default '{}',
  -- Off: a change from Notion that makes a document more public waits for review like changed content.
  publish_more_public boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id) on delete set null
);
alter table notion_access_mappings enable row level security;
create policy tenant_isolation on notion_access_mappings using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on notion_access_mappings to app_user;

-- The level the mapping gave when the page was last read: only a change in Notion moves the document's level,
-- so a level set by hand (or chosen at import) stays until someone changes the property in Notion.
alter table documents add column source_access_level text
  check (source_access_level in ('public', 'contacts_nda', 'contacts', 'internal'));
-- A revision may carry a new access level (read from Notion) that applies when it is published.
alter table document_revisions add column access_level text
  check (access_level in ('public', 'contacts_nda', 'contacts', 'internal'));
-- A level chosen for one page in the import picker (over the import's level and the mapping).
alter table import_items add column access_level text
  check (access_level in ('public', 'contacts_nda', 'contacts', 'internal'));
