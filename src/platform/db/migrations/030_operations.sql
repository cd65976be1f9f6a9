-- Leases on background work (issue 13). A worker that claims an import item or a sync run stamps its job
-- id, counts the attempt and keeps heartbeat_at fresh; the reaper hands work whose heartbeat went stale
-- back to the queue, up to a bounded number of attempts. The attempt number is also a fencing token: a
-- stalled worker that wakes after its work was handed on cannot write its outcome over the new attempt's.
alter table import_items
  add column attempts integer not null default 0,
  add column heartbeat_at timestamptz,
  add column job_id text;
create index import_items_running_idx on import_items (heartbeat_at) where status = 'running';

alter table sync_runs
  add column attempts integer not null default 0,
  add column job_id text;
create index sync_runs_active_heartbeat_idx on sync_runs (heartbeat_at) where status in ('queued', 'running');

-- One Notion request budget per connection, shared by every process (web, workers, CLI). `tat` is the
-- theoretical arrival time of the generic cell rate algorithm: each request reserves the next slot with one
-- atomic UPDATE … RETURNING. `paused_until` is the end of the last Retry-After any process received.
-- Holds no tenant data (an opaque connection key and two timestamps), so it is read as the owner like the
-- job queue's tables.
create table notion_rate_limits (
  connection_key text primary key,
  tat timestamptz not null,
  paused_until timestamptz not null default '-infinity',
  updated_at timestamptz not null default now()
);
