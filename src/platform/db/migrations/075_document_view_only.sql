-- "View only": the public site shows the document's PDF in its own viewer, inline, and refuses to hand it
-- out as a download. It deters casual copying; it cannot stop screenshots or a determined reader.
alter table documents add column view_only boolean not null default false;
