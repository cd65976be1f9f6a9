-- Issue 12: hardening.

-- Emails are unique per tenant, not across tenants: adding a user must never reveal that an address has an
-- account in another tenant. Sign-in resolves the account by email and, when one email has several, by the
-- workspace the person names (see accounts/login.ts).
drop index users_email_key;
create unique index users_tenant_email_key on users (tenant_id, lower(email));
create index users_email_idx on users (lower(email));
drop function app_email_taken(text);

-- Sign-in throttling slows a guesser down per account and address (exponential delay until
-- next_attempt_at) instead of locking the account for everyone; only an address is ever locked out.
alter table login_throttle add column next_attempt_at timestamptz;

-- A signed webhook is handled once: the hash of its exact body is kept for a day, so a replayed delivery is
-- acknowledged without a second effect. Written before the tenant is known, so not tenant-scoped.
create table webhook_receipts (
  body_sha256 text primary key,
  received_at timestamptz not null default now()
);
create index webhook_receipts_received_idx on webhook_receipts (received_at);

-- The assets a document may serve: recorded from the parsed Markdown whenever the body is written (see
-- documents/asset-refs.ts), never found by searching the text. Existing bodies are read the same way the
-- converter writes references: as link or image destinations.
alter table documents add column asset_refs text[] not null default '{}';
update documents set asset_refs = coalesce((
  select array_agg(distinct m[1])
  from regexp_matches(body_markdown, '\]\(asset:([0-9a-f]{64}\.[a-z0-9]{2,5})[ )]', 'g') as m
), '{}')
where body_markdown is not null;

-- Anonymous activity is counted, not logged: one row per document per day (views, downloads, unique
-- visitors). Contacts' views stay individual audit entries.
create table document_daily_activity (
  tenant_id uuid not null references tenants(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  day date not null,
  views integer not null default 0,
  downloads integer not null default 0,
  unique_visitors integer not null default 0,
  primary key (tenant_id, document_id, day)
);
-- Which visitors were already counted today: a salted hash of address and browser, with a salt that exists
-- for one day only, so yesterday's hashes cannot be linked to anyone. Rows older than today are pruned.
create table document_daily_visitors (
  tenant_id uuid not null references tenants(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  day date not null,
  visitor_hash text not null,
  primary key (tenant_id, document_id, day, visitor_hash)
);
create index document_daily_visitors_day_idx on document_daily_visitors (day);
create table visitor_salts (
  day date primary key,
  salt text not null
);
grant select, insert, delete on visitor_salts to app_user;

do $$
declare t text;
begin
  foreach t in array array['document_daily_activity', 'document_daily_visitors']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())', t);
    execute format('grant select, insert, update, delete on %I to app_user', t);
  end loop;
end $$;
