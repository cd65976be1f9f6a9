import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS, describeAudit, type AuditFacts } from './audit-sentences.ts';

const alice = { type: 'contact', label: 'alice@partner.example', name: 'Alice', company: 'Partner Inc.' };
const bob = { type: 'user', label: 'bob@acme.example', name: 'Bob' };
const facts = (over: Partial<AuditFacts> & Pick<AuditFacts, 'action'>): AuditFacts => ({
  actor: bob,
  details: {},
  ...over,
});

describe('describeAudit', () => {
  it('names a contact with their company and says what was served', () => {
    expect(
      describeAudit(
        facts({
          action: 'public.document.download',
          actor: alice,
          target: { type: 'document', name: 'SOC 2 report' },
          details: { watermarked: true, userAgent: 'Mozilla/5.0' },
        }),
      ),
    ).toBe('Alice (Partner Inc.) downloaded SOC 2 report — watermarked.');
  });

  it('says access levels by the names the admin app and the public site use', () => {
    expect(
      describeAudit(
        facts({
          action: 'document.access_level_changed',
          target: { type: 'document', name: 'Pen test summary' },
          details: { from: 'internal', to: 'public' },
        }),
      ),
    ).toBe('Bob changed the access level of Pen test summary to Public.');
    expect(
      describeAudit(facts({ action: 'document.access_level_changed', details: { title: 'DPA', to: 'contacts_nda' } })),
    ).toBe('Bob changed the access level of DPA to Approved contacts with NDA.');
  });

  it('falls back to what the entry recorded when the target is gone, and to the email without a name', () => {
    expect(
      describeAudit(
        facts({
          action: 'document.deleted',
          actor: { type: 'user', label: 'bob@acme.example' },
          details: { title: 'Old' },
        }),
      ),
    ).toBe('bob@acme.example deleted Old.');
    expect(describeAudit(facts({ action: 'contact.created', details: { email: 'carol@x.example' } }))).toBe(
      'Bob added carol@x.example as a contact.',
    );
  });

  it('names visitors, the system and Notion plainly', () => {
    expect(
      describeAudit(
        facts({
          action: 'public.document.view',
          actor: { type: 'visitor', label: 'anonymous visitor' },
          target: { type: 'document', name: 'Security overview' },
        }),
      ),
    ).toBe('A visitor viewed Security overview.');
    expect(describeAudit(facts({ action: 'tenant.created', actor: { type: 'system', label: 'cli' } }))).toBe(
      'The system created the workspace.',
    );
    expect(
      describeAudit(facts({ action: 'integration.auth_failed', actor: { type: 'system', label: 'notion-webhook' } })),
    ).toBe('Notion reported that the Notion connection needs to be authorized again.');
  });

  it('counts and qualifies', () => {
    expect(
      describeAudit(
        facts({
          action: 'contact.granted',
          target: { type: 'contact', name: 'Alice' },
          details: { documentIds: ['a', 'b'] },
        }),
      ),
    ).toBe('Bob gave Alice access to 2 documents.');
    expect(describeAudit(facts({ action: 'import.started', details: { pages: 1 } }))).toBe(
      'Bob started importing 1 page from Notion.',
    );
    expect(
      describeAudit(facts({ action: 'user.role_changed', details: { email: 'c@x', role: 'content_manager' } })),
    ).toBe('Bob changed the role of c@x to content manager.');
    expect(describeAudit(facts({ action: 'settings.changed', details: { autoReimport: false } }))).toBe(
      'Bob turned automatic re-import from Notion off.',
    );
  });

  it('gives an unknown action a sensible generic sentence', () => {
    expect(describeAudit(facts({ action: 'document.archived', target: { type: 'document', name: 'ISO cert' } }))).toBe(
      'Bob archived ISO cert.',
    );
    expect(describeAudit(facts({ action: 'subprocessor.added' }))).toBe('Bob added a subprocessor.');
    expect(describeAudit(facts({ action: 'public.faq.opened', actor: alice }))).toBe(
      'Alice (Partner Inc.) opened a faq.',
    );
    expect(describeAudit(facts({ action: 'rebooted' }))).toBe('Bob rebooted.');
  });

  it('files every action with a phrase under exactly one kind', () => {
    const prefixes = Object.values(AUDIT_KINDS).flatMap((k) => k.prefixes as readonly string[]);
    for (const action of ['document.created', 'public.nda.accept', 'contact.granted', 'user.added', 'sync.started']) {
      expect(
        prefixes.filter((p) => action.startsWith(p)),
        action,
      ).toHaveLength(1);
    }
  });
});
