-- Who on the team is told about new access requests, and how: not at all, one mail per request, or one
-- daily digest of the requests still waiting. One row per user who changed the default (off).
create table notification_settings (
  user_id uuid primary key references users(id) on delete cascade,
  tenant_id uuid not null references tenants(id) on delete cascade,
  access_requests text not null default 'off' check (access_requests in ('off', 'instant', 'daily')),
  updated_at timestamptz not null default now()
);
create index notification_settings_tenant_idx on notification_settings (tenant_id, access_requests);

alter table notification_settings enable row level security;
create policy tenant_isolation on notification_settings using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on notification_settings to app_user;

-- New access requests the team has not been told about yet. A row is written in the transaction that files
-- the request (a public-site request cannot wait for SMTP); a worker turns it into mails for the users who
-- chose "instant" and removes it.
create table access_request_notices (
  request_id uuid primary key references access_requests(id) on delete cascade,
  tenant_id uuid not null references tenants(id) on delete cascade,
  created_at timestamptz not null default now()
);

alter table access_request_notices enable row level security;
create policy tenant_isolation on access_request_notices using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on access_request_notices to app_user;
