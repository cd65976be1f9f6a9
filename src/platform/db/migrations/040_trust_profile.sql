-- The public trust center's profile: branding and contact details that content managers edit (the draft
-- columns) and admins publish (the `published` snapshot the public site reads). The custom domain is an
-- admin setting that applies at once: the site answers on that Host, and the slug URL keeps working.
create table trust_profiles (
  tenant_id uuid primary key references tenants(id) on delete cascade,
  company_name text not null default '' check (length(company_name) <= 200),
  intro text not null default '' check (length(intro) <= 2000),
  contact_email text not null default '' check (length(contact_email) <= 320),
  brand_color text check (brand_color ~ '^#[0-9a-f]{6}$'),
  logo_key text,
  logo_content_type text check (logo_content_type in ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
  custom_domain text check (custom_domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
  published jsonb,
  published_at timestamptz,
  published_by uuid references users(id) on delete set null,
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id) on delete set null,
  check ((logo_key is null) = (logo_content_type is null))
);
-- One tenant per Host; looked up on every request that arrives on a host other than PUBLIC_URL's.
create unique index trust_profiles_domain_key on trust_profiles (custom_domain);

alter table trust_profiles enable row level security;
create policy tenant_isolation on trust_profiles using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on trust_profiles to app_user;
