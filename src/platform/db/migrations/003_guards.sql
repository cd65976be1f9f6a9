-- At most one queued or running sync per connection, enforced by the database: two "Sync now" clicks at
-- the same moment cannot both start a run.
create unique index sync_runs_one_active on sync_runs (integration_id) where status in ('queued', 'running');

-- Who asked for an import: a person, or the sync re-importing changed pages on its own (a tenant setting).
alter table imports add column origin text not null default 'user' check (origin in ('user', 'sync'));

-- Sign-in throttling counts attempts per window (see accounts/login.ts); a separate lock time is not used.
alter table login_throttle drop column locked_until;
