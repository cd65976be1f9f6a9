-- The public pages show the tenant's published profile (name, intro, contact email, brand colour, logo) and
-- link within its address (the slug URL, or the root of its custom domain). Cached pages are keyed by the
-- tenant's content version (migration 035), so publishing the profile or changing the custom domain bumps
-- that version, with the same deferred trigger the documents and tenants use. Draft edits change nothing
-- public and leave the version alone. A new profile row bumps it only when it carries a published snapshot
-- or a domain (the first save of a draft creates the row without either).
create constraint trigger trust_profiles_bump_site_version after insert on trust_profiles
  deferrable initially deferred for each row
  when (new.published is not null or new.custom_domain is not null)
  execute function bump_site_version();
create constraint trigger trust_profiles_bump_site_version_on_update after update on trust_profiles
  deferrable initially deferred for each row
  when (old.published is distinct from new.published or old.custom_domain is distinct from new.custom_domain)
  execute function bump_site_version();
create constraint trigger trust_profiles_bump_site_version_on_delete after delete on trust_profiles
  deferrable initially deferred for each row execute function bump_site_version();
