-- Public pages are rendered once per content version (see public-site/page-cache.ts). The version is bumped
-- by the database itself, in the same transaction as the change, so no write path (the admin API, imports,
-- sync, disconnect, a future module) can forget it, and a page is never served from a version whose change
-- was rolled back.

-- Sanitized HTML of a Markdown document as the public site shows it, rendered when the body is written
-- (documents/documents.repo.ts). A body changed without it (any other writer) clears it, so stale HTML can
-- never be served: readers render from the Markdown when it is null.
alter table documents add column body_html text;

create function documents_clear_stale_html() returns trigger language plpgsql as $$
begin
  if new.body_markdown is distinct from old.body_markdown and new.body_html is not distinct from old.body_html then
    new.body_html := null;
  end if;
  return new;
end $$;
create trigger documents_clear_stale_html before update on documents
  for each row execute function documents_clear_stale_html();

create table site_versions (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  version bigint not null default 0
);
alter table site_versions enable row level security;
create policy tenant_isolation on site_versions using (tenant_id = app_current_tenant());
grant select on site_versions to app_user;

-- Definer rights: app_user may change documents but not the version row directly. The tenant may be gone
-- by commit time (a tenant delete cascades to its documents), hence the existence check.
create function bump_site_version() returns trigger language plpgsql security definer set search_path = public as $$
declare
  t uuid;
begin
  if tg_table_name = 'tenants' and tg_op = 'DELETE' then
    t := old.id;
  elsif tg_table_name = 'tenants' then
    t := new.id;
  elsif tg_op = 'DELETE' then
    t := old.tenant_id;
  else
    t := new.tenant_id;
  end if;
  insert into site_versions (tenant_id, version)
    select t, 1 where exists (select 1 from tenants where id = t)
    on conflict (tenant_id) do update set version = site_versions.version + 1;
  -- Delivered at commit; the embedded app forgets the tenant's remembered version on it (site-directory.ts).
  perform pg_notify('site_version', t::text);
  return null;
end $$;

-- Deferred to commit: the version row is locked only for the last moment of the transaction, after every
-- document row it touches, so two transactions changing documents in different orders cannot deadlock on it.
create constraint trigger documents_bump_site_version after insert or delete on documents
  deferrable initially deferred for each row execute function bump_site_version();
create constraint trigger documents_bump_site_version_on_update after update on documents
  deferrable initially deferred for each row when (old.* is distinct from new.*)
  execute function bump_site_version();
create constraint trigger tenants_bump_site_version after update on tenants
  deferrable initially deferred for each row when (old.* is distinct from new.*)
  execute function bump_site_version();
create constraint trigger tenants_bump_site_version_on_delete after delete on tenants
  deferrable initially deferred for each row execute function bump_site_version();
