-- One access request covers several documents, each approved or declined on its own (the admin may deselect
-- some when approving). Existing requests become one-document requests with their own status.
create table access_request_documents (
  request_id uuid not null references access_requests(id) on delete cascade,
  tenant_id uuid not null references tenants(id) on delete cascade,
  document_id uuid not null references documents(id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  primary key (request_id, document_id)
);
create index access_request_documents_document_idx on access_request_documents (tenant_id, document_id);
insert into access_request_documents (request_id, tenant_id, document_id, status)
  select id, tenant_id, document_id, status from access_requests;
alter table access_requests drop column document_id;
-- Keyset paging of the admin list (newest first).
create index access_requests_tenant_created_idx on access_requests (tenant_id, created_at desc, id desc);

alter table access_request_documents enable row level security;
create policy tenant_isolation on access_request_documents using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on access_request_documents to app_user;

-- The NDA can be signed while asking, before the requester is a contact: the acceptance then belongs to the
-- request, and is attached to the contact when the request is approved. The typed full name is the signature;
-- the hash of the text signed and the certificate (stored file and its hash) make the record checkable later.
alter table nda_acceptances alter column contact_id drop not null;
alter table nda_acceptances add column access_request_id uuid references access_requests(id) on delete set null;
alter table nda_acceptances add column signature_name text;
alter table nda_acceptances add column nda_sha256 text;
alter table nda_acceptances add column certificate_key text;
alter table nda_acceptances add column certificate_sha256 text;
alter table nda_acceptances add constraint nda_acceptances_owner check (contact_id is not null or access_request_id is not null);
create index nda_acceptances_request_idx on nda_acceptances (access_request_id) where access_request_id is not null;

-- Requests from these email domains are approved at once (e.g. existing customers); with scope `contacts`
-- only documents shared with contacts are, and NDA documents in the same request still wait for an admin.
create table access_auto_approve_rules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  domain text not null check (domain = lower(domain) and length(domain) between 3 and 253),
  scope text not null check (scope in ('all', 'contacts')),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  unique (tenant_id, domain)
);
alter table access_auto_approve_rules enable row level security;
create policy tenant_isolation on access_auto_approve_rules using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on access_auto_approve_rules to app_user;

-- A browser that asked for documents or opened a sign-in link keeps an opaque pass (only its hash is stored),
-- so a returning contact who is signed out is offered "sign in to view" instead of a new request form. A pass
-- counts only through a contact who proved their mailbox, or a request an admin approved.
create table visitor_passes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id) on delete cascade,
  token_hash text not null,
  contact_id uuid references contacts(id) on delete cascade,
  access_request_id uuid references access_requests(id) on delete cascade,
  created_at timestamptz not null default now(),
  check (contact_id is not null or access_request_id is not null)
);
create index visitor_passes_token_idx on visitor_passes (tenant_id, token_hash);
alter table visitor_passes enable row level security;
create policy tenant_isolation on visitor_passes using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on visitor_passes to app_user;
