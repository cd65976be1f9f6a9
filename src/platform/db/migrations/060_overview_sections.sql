-- Sections of the public overview besides the document list: certifications and frameworks, subprocessors,
-- the security FAQ and security updates (src/trust-center/overview-sections.*). Content managers edit them and
-- the change is live at once, like a document's access level: each write bumps the site's content version
-- (migration 035) so cached pages are replaced on the next request.

-- How the sections are arranged: their order on the overview and whether each is shown. A tenant without
-- rows shows the four in the default order; `updated_at` is the section's last change (any of its entries
-- included), which feeds the overview's "Last updated".
create table overview_sections (
  tenant_id uuid not null references tenants(id) on delete cascade,
  kind text not null check (kind in ('certifications', 'subprocessors', 'faq', 'updates')),
  position smallint not null check (position between 0 and 3),
  visible boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, kind)
);

-- One entry of a section. The fields differ per kind and are validated by the API's schema for that kind
-- (src/contracts/overview-sections.ts), so they live in `fields`; only what the database must relate or
-- sort by has a column: the document a certification links to (its report stays behind that document's
-- access level), and the order.
create table overview_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  kind text not null check (kind in ('certifications', 'subprocessors', 'faq', 'updates')),
  position integer not null,
  fields jsonb not null check (jsonb_typeof(fields) = 'object' and pg_column_size(fields) <= 65536),
  document_id uuid references documents(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id) on delete set null,
  check (document_id is null or kind = 'certifications')
);
create index overview_items_kind_idx on overview_items (tenant_id, kind, position);

alter table overview_sections enable row level security;
create policy tenant_isolation on overview_sections using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on overview_sections to app_user;

alter table overview_items enable row level security;
create policy tenant_isolation on overview_items using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on overview_items to app_user;

-- Every change is public at once: bump the content version at commit, as documents do (migration 035).
create constraint trigger overview_sections_bump_site_version after insert or update or delete on overview_sections
  deferrable initially deferred for each row execute function bump_site_version();
create constraint trigger overview_items_bump_site_version after insert or update or delete on overview_items
  deferrable initially deferred for each row execute function bump_site_version();
