-- When Nango last forwarded a Notion event for this connection: "Live updates: on" on the Integrations page.
-- Refreshed at most hourly (see integrations/connections.repo.ts), so a burst of events costs no writes.
alter table integrations add column live_updates_at timestamptz;
