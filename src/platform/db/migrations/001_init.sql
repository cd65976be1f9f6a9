-- Roles: the application connects as the database owner (needed for migrations, pg-boss and the few
-- cross-tenant lookups such as "which tenant does this session belong to"). Every tenant-scoped transaction
-- switches to app_user, which owns nothing, so row-level security always applies to it: a forgotten tenant
-- filter returns nothing. RLS is deliberately not FORCEd, so the owner's system lookups keep working on a
-- server where the owner is not a superuser.
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'app_user') then
    create role app_user nologin;
  end if;
end $$;
do $$ begin
  if not pg_has_role(current_user, 'app_user', 'member') then
    execute format('grant app_user to %I', current_user);
  end if;
end $$;

create or replace function app_current_tenant() returns uuid language sql stable as
$$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(name) between 1 and 200),
  auto_reimport boolean not null default false,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  email text not null,
  name text not null default '',
  role text not null check (role in ('admin', 'content_manager', 'viewer')),
  password_hash text not null,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));
create index users_tenant_idx on users (tenant_id);

-- Emails are unique across tenants, but app_user cannot see other tenants' users; this definer function
-- answers only the yes/no question.
create function app_email_taken(candidate text) returns boolean language sql stable security definer
  set search_path = public as $$ select exists (select 1 from users where lower(email) = lower(candidate)) $$;

create table sessions (
  token_hash text primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  csrf_token text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  name text not null default '',
  token_hash text not null unique,
  token_prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table login_throttle (
  key text primary key,
  failures integer not null default 0,
  window_started_at timestamptz not null default now(),
  locked_until timestamptz
);

create table documents (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  title text not null check (length(title) between 1 and 500),
  kind text not null check (kind in ('markdown', 'file')),
  body_markdown text,
  file_key text,
  file_name text,
  file_content_type text,
  file_size bigint,
  file_sha256 text,
  access_level text not null default 'internal' check (access_level in ('public', 'contacts_nda', 'contacts', 'internal')),
  source text not null default 'manual' check (source in ('manual', 'notion')),
  source_id text,
  source_url text,
  source_created_time timestamptz,
  source_last_edited_time timestamptz,
  source_parent jsonb,
  source_icon jsonb,
  source_cover text,
  source_status text not null default 'ok' check (source_status in ('ok', 'trashed', 'unshared', 'deleted', 'disconnected')),
  content_last_edited_time timestamptz,
  update_available boolean not null default false,
  synced_at timestamptz,
  content_hash text,
  warnings jsonb not null default '[]',
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'markdown' and body_markdown is not null) or (kind = 'file' and file_key is not null)),
  check ((source = 'manual' and source_id is null) or (source <> 'manual' and source_id is not null))
);
create unique index documents_source_key on documents (tenant_id, source, source_id);
create index documents_tenant_updated_idx on documents (tenant_id, updated_at desc);

create table audit_log (
  id bigserial primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  actor_type text not null check (actor_type in ('user', 'api_token', 'contact', 'visitor', 'system')),
  actor_id text,
  actor_label text not null default '',
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  ip text,
  created_at timestamptz not null default now()
);
create index audit_log_tenant_idx on audit_log (tenant_id, id desc);
create index audit_log_target_idx on audit_log (tenant_id, target_type, target_id);

create table integrations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  provider text not null check (provider in ('notion')),
  nango_connection_id text not null,
  provider_config_key text not null,
  status text not null check (status in ('connected', 'needs_reauth', 'error')),
  status_reason text,
  workspace_name text,
  workspace_icon text,
  connected_by uuid references users(id) on delete set null,
  connected_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, provider)
);
create unique index integrations_connection_key on integrations (nango_connection_id);

-- Sync state is an explicit state machine per connection (see connectors/notion/sync).
create table sync_states (
  integration_id uuid primary key references integrations(id) on delete cascade,
  tenant_id uuid not null references tenants(id) on delete cascade,
  stage text not null default 'idle' check (stage in ('idle', 'delta', 'reconcile')),
  status text not null default 'never_synced' check (status in ('never_synced', 'ok', 'running', 'failing', 'paused')),
  high_water_mark timestamptz,
  -- The newest edit seen by the delta pass in progress; becomes high_water_mark when the pass completes.
  pending_high_water_mark timestamptz,
  cursor text,
  failure_count integer not null default 0,
  last_success_at timestamptz,
  last_reconcile_at timestamptz,
  next_run_at timestamptz,
  updated_at timestamptz not null default now()
);
create index sync_states_due_idx on sync_states (next_run_at);

create table sync_runs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  integration_id uuid references integrations(id) on delete set null,
  trigger text not null check (trigger in ('manual', 'scheduled')),
  mode text not null check (mode in ('delta', 'reconcile')),
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  started_at timestamptz,
  finished_at timestamptz,
  heartbeat_at timestamptz,
  pages_checked integer not null default 0,
  pages_changed integer not null default 0,
  pages_missing integer not null default 0,
  notion_calls integer not null default 0,
  error text,
  created_at timestamptz not null default now()
);
create index sync_runs_tenant_idx on sync_runs (tenant_id, created_at desc);

create table imports (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  integration_id uuid references integrations(id) on delete set null,
  requested_by uuid references users(id) on delete set null,
  access_level text not null check (access_level in ('public', 'contacts_nda', 'contacts', 'internal')),
  status text not null check (status in ('running', 'completed', 'cancelled')),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index imports_tenant_idx on imports (tenant_id, created_at desc);

create table import_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  import_id uuid not null references imports(id) on delete cascade,
  position integer not null,
  page_id text not null,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  document_id uuid references documents(id) on delete set null,
  title text,
  error text,
  warnings jsonb not null default '[]',
  updated_at timestamptz not null default now(),
  unique (import_id, page_id)
);

create table contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  email text not null,
  name text not null default '',
  company text not null default '',
  created_at timestamptz not null default now()
);
create unique index contacts_email_key on contacts (tenant_id, lower(email));

create table contact_grants (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  expires_at timestamptz,
  revoked_at timestamptz,
  granted_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  unique (contact_id, document_id)
);

create table magic_links (
  token_hash text primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create table contact_sessions (
  token_hash text primary key,
  tenant_id uuid not null references tenants(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);

create table nda_versions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  version integer not null,
  body text not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  unique (tenant_id, version)
);

create table nda_acceptances (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade,
  nda_version_id uuid not null references nda_versions(id) on delete cascade,
  accepted_at timestamptz not null default now(),
  ip text,
  user_agent text,
  unique (contact_id, nda_version_id)
);

create table access_requests (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  name text not null,
  email text not null,
  company text not null default '',
  reason text not null default '',
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decided_by uuid references users(id) on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now()
);

create table outbox (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  to_email text not null,
  subject text not null,
  body text not null,
  link text,
  sent_at timestamptz,
  error text,
  created_at timestamptz not null default now()
);

-- Row-level security on every tenant-scoped table.
do $$
declare t text;
begin
  foreach t in array array['users', 'sessions', 'api_tokens', 'documents', 'audit_log', 'integrations',
    'sync_states', 'sync_runs', 'imports', 'import_items', 'contacts', 'contact_grants', 'magic_links',
    'contact_sessions', 'nda_versions', 'nda_acceptances', 'access_requests', 'outbox']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
    execute format('grant select, insert, update, delete on %I to app_user', t);
  end loop;
end $$;
grant usage on schema public to app_user;
grant select on tenants to app_user;
grant usage, select on all sequences in schema public to app_user;
