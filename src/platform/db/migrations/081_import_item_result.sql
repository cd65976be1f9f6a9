-- What importing a page did, for the picker to say in words (kind, images copied, changes found, outcome).
alter table import_items add column result jsonb;
