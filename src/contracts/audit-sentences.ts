import { ACCESS_LEVEL_LABELS, ACCESS_LEVELS, type AccessLevel } from './access-levels.ts';
import { ROLES, type Role } from './roles.ts';

/*
 * The audit log read as sentences: "Alice (Partner Inc.) downloaded SOC 2 report — watermarked". Pure, so
 * the server can put the sentence into every entry it lists and a mail or the web app can say the same.
 */

/** What a sentence is made of: the entry plus the names the server looked up for its actor and target. */
export interface AuditFacts {
  action: string;
  actor: {
    type: string;
    /** What the entry recorded (an email, "cli", "anonymous visitor", …). */
    label: string;
    /** The person's current name and company, when the actor is a known user or contact. */
    name?: string | null | undefined;
    company?: string | null | undefined;
  };
  /** The target's current name (a document's title, a contact's or user's name or email). */
  target?: { type: string | null; name?: string | null | undefined } | undefined;
  details: Record<string, unknown>;
}

/** Kinds of activity the audit log can be filtered by, each the action prefixes it covers. */
export const AUDIT_KINDS = {
  documents: { label: 'Documents', prefixes: ['document.'] },
  visitors: { label: 'Visitors and contacts on the trust center', prefixes: ['public.'] },
  sharing: { label: 'Contacts, requests and NDA', prefixes: ['contact.', 'access_request.', 'nda.'] },
  team: { label: 'Team and sign-in', prefixes: ['user.', 'token.', 'auth.'] },
  workspace: { label: 'Trust center and settings', prefixes: ['trust_profile.', 'settings.', 'tenant.'] },
  notion: { label: 'Notion', prefixes: ['integration.', 'import.', 'sync.'] },
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;
export const AUDIT_KIND_IDS = Object.keys(AUDIT_KINDS) as AuditKind[];

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const levelName = (v: unknown) =>
  ACCESS_LEVELS.includes(v as AccessLevel) ? ACCESS_LEVEL_LABELS[v as AccessLevel] : text(v);
const roleName = (v: unknown) => (ROLES.includes(v as Role) ? (v as Role).replace('_', ' ') : null);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Alice (Partner Inc.)", "alice@example.com", "A visitor", "The system". */
export function actorName(actor: AuditFacts['actor']): string {
  if (actor.type === 'visitor') return actor.label && actor.label !== 'anonymous visitor' ? actor.label : 'A visitor';
  if (actor.type === 'system') return actor.label === 'notion-webhook' ? 'Notion' : 'The system';
  const who = text(actor.name) ?? actor.label;
  const company = text(actor.company);
  return company ? `${who} (${company})` : who;
}

/** The thing acted on: the name found for it, else what the entry recorded, else a plain noun. */
function targetName(facts: AuditFacts, fallback: string): string {
  return text(facts.target?.name) ?? text(facts.details.title) ?? text(facts.details.email) ?? fallback;
}

type Phrase = (f: AuditFacts) => string;

const PHRASES: Record<string, Phrase> = {
  'document.created': (f) => `created ${targetName(f, 'a document')}`,
  'document.edited': (f) => `edited ${targetName(f, 'a document')}`,
  'document.deleted': (f) => `deleted ${targetName(f, 'a document')}`,
  'document.access_level_changed': (f) =>
    `changed the access level of ${targetName(f, 'a document')} to ${levelName(f.details.to) ?? 'another level'}`,
  'public.document.view': (f) => `viewed ${targetName(f, 'a document')}`,
  'public.document.download': (f) => `downloaded ${targetName(f, 'a document')}`,
  'public.nda.accept': (f) =>
    `accepted the NDA${typeof f.details.version === 'number' ? ` (version ${f.details.version})` : ''}`,
  'public.magic_link.open': () => 'signed in to the trust center with an emailed link',
  'public.magic_link.requested': () => 'asked for a sign-in link',
  'public.access_request.create': (f) => `asked for access to ${targetName(f, 'a document')}`,
  'contact.created': (f) => `added ${targetName(f, 'a contact')} as a contact`,
  'contact.deleted': (f) => `removed the contact ${targetName(f, 'a contact')}`,
  'contact.granted': (f) => {
    const ids = Array.isArray(f.details.documentIds) ? f.details.documentIds.length : 0;
    return `gave ${targetName(f, 'a contact')} access to ${plural(ids, 'document')}`;
  },
  'contact.grant_revoked': (f) => `took back a document from ${targetName(f, 'a contact')}`,
  'contact.magic_link_sent': (f) => `sent a sign-in link to ${targetName(f, 'a contact')}`,
  'access_request.approved': (f) => `approved an access request${f.target?.name ? ` for ${f.target.name}` : ''}`,
  'access_request.rejected': (f) => `declined the access request of ${targetName(f, 'a visitor')}`,
  'nda.published': (f) =>
    `published the NDA${typeof f.details.version === 'number' ? ` (version ${f.details.version})` : ''}`,
  'user.added': (f) =>
    `added ${targetName(f, 'a team member')} to the team${roleName(f.details.role) ? ` as ${roleName(f.details.role)}` : ''}`,
  'user.role_changed': (f) =>
    `changed the role of ${targetName(f, 'a team member')}${roleName(f.details.role) ? ` to ${roleName(f.details.role)}` : ''}`,
  'user.removed': (f) => `removed ${targetName(f, 'a team member')} from the team`,
  'token.created': () => 'created an API token',
  'token.revoked': () => 'revoked an API token',
  'auth.login': () => 'signed in',
  'settings.changed': (f) =>
    typeof f.details.autoReimport === 'boolean'
      ? `turned automatic re-import from Notion ${f.details.autoReimport ? 'on' : 'off'}`
      : 'changed the workspace settings',
  'tenant.created': () => 'created the workspace',
  'trust_profile.edited': () => 'edited the trust center profile',
  'trust_profile.logo_changed': () => 'uploaded a new logo',
  'trust_profile.logo_removed': () => 'removed the logo',
  'trust_profile.published': () => 'published the trust center profile',
  'trust_profile.domain_changed': (f) =>
    text(f.details.customDomain)
      ? `set the custom domain to ${text(f.details.customDomain)}`
      : 'removed the custom domain',
  'integration.connected': (f) =>
    `connected Notion${text(f.details.workspace) ? ` (${text(f.details.workspace)})` : ''}`,
  'integration.reconnected': () => 'reconnected Notion',
  'integration.disconnected': () => 'disconnected Notion',
  'integration.auth_failed': () => 'reported that the Notion connection needs to be authorized again',
  'integration.refresh_failed': () => 'reported that the Notion connection could not be refreshed',
  'integration.recovered': () => 'reported that the Notion connection works again',
  'import.started': (f) =>
    `started importing ${typeof f.details.pages === 'number' ? plural(f.details.pages, 'page') : 'pages'} from Notion`,
  'sync.started': () => 'started a sync with Notion',
};

/** An action nobody taught a phrase yet still reads: "document.archived" → "archived a document …". */
function genericPhrase(facts: AuditFacts): string {
  const parts = facts.action.split('.').filter((p) => p !== 'public');
  const verb = (parts.at(-1) ?? 'acted').replaceAll('_', ' ');
  const noun = parts.length > 1 ? parts.slice(0, -1).join(' ').replaceAll('_', ' ') : null;
  const target = text(facts.target?.name) ?? text(facts.details.title);
  if (target) return `${verb} ${target}`;
  return noun ? `${verb} ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}` : verb;
}

/** Marks that change what the sentence means, appended after a dash. */
function qualifiers(details: Record<string, unknown>): string[] {
  const marks: string[] = [];
  if (details.watermarked === true) marks.push('watermarked');
  if (details.viewOnly === true) marks.push('view only');
  if (details.autoApproved === true) marks.push('approved automatically');
  return marks;
}

/** One entry as a sentence, starting with who did it and ending with a full stop. */
export function describeAudit(facts: AuditFacts): string {
  const phrase = (PHRASES[facts.action] ?? genericPhrase)(facts);
  const marks = qualifiers(facts.details);
  return `${actorName(facts.actor)} ${phrase}${marks.length > 0 ? ` — ${marks.join(', ')}` : ''}.`;
}
