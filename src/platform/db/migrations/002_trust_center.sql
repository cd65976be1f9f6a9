-- Public trust center: contact sessions carry a CSRF token for their HTML forms (NDA acceptance, sign-out),
-- and access requests keep where they came from so spam can be traced and throttled.
alter table contact_sessions add column csrf_token text not null default '';
alter table contact_sessions alter column csrf_token drop default;

alter table access_requests add column ip text;
alter table access_requests add column user_agent text;
create index access_requests_tenant_status_idx on access_requests (tenant_id, status, created_at desc);
create index access_requests_email_idx on access_requests (tenant_id, lower(email), status);

create index contact_grants_document_idx on contact_grants (tenant_id, document_id);
create index magic_links_contact_idx on magic_links (contact_id, created_at desc);
create index contact_sessions_contact_idx on contact_sessions (contact_id);
create index outbox_tenant_idx on outbox (tenant_id, created_at desc);
