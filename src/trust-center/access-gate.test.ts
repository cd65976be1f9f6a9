import { describe, expect, it } from 'vitest';
import { decideGate, grantIsActive } from './access-gate.ts';

const now = new Date('2026-03-01T12:00:00Z');
const active = { expiresAt: null, revokedAt: null };
const expired = {
  expiresAt: new Date('2026-03-01T11:59:59Z'),
  revokedAt: null,
};
const future = { expiresAt: new Date('2026-03-02T00:00:00Z'), revokedAt: null };
const revoked = {
  expiresAt: null,
  revokedAt: new Date('2026-02-01T00:00:00Z'),
};

describe('grantIsActive', () => {
  it('is false for missing, expired and revoked grants', () => {
    expect(grantIsActive(undefined, now)).toBe(false);
    expect(grantIsActive(expired, now)).toBe(false);
    expect(grantIsActive(revoked, now)).toBe(false);
    expect(grantIsActive(active, now)).toBe(true);
    expect(grantIsActive(future, now)).toBe(true);
  });
});

describe('decideGate', () => {
  const base = { ndaPublished: true, ndaAccepted: false, now };
  it('hides internal documents from everyone, even with a grant and an NDA', () => {
    expect(
      decideGate({
        ...base,
        level: 'internal',
        grant: active,
        ndaAccepted: true,
      }),
    ).toBe('hidden');
  });
  it('opens public documents to everyone', () => {
    expect(decideGate({ ...base, level: 'public', grant: undefined })).toBe('open');
  });
  it('opens contact documents only with an active grant', () => {
    expect(decideGate({ ...base, level: 'contacts', grant: undefined })).toBe('locked');
    expect(decideGate({ ...base, level: 'contacts', grant: expired })).toBe('locked');
    expect(decideGate({ ...base, level: 'contacts', grant: revoked })).toBe('locked');
    expect(decideGate({ ...base, level: 'contacts', grant: future })).toBe('open');
  });
  it('asks for the current NDA before an NDA document opens', () => {
    expect(
      decideGate({
        ...base,
        level: 'contacts_nda',
        grant: undefined,
        ndaAccepted: true,
      }),
    ).toBe('locked');
    expect(decideGate({ ...base, level: 'contacts_nda', grant: active })).toBe('nda_required');
    expect(
      decideGate({
        ...base,
        level: 'contacts_nda',
        grant: active,
        ndaAccepted: true,
      }),
    ).toBe('open');
    expect(
      decideGate({
        ...base,
        level: 'contacts_nda',
        grant: revoked,
        ndaAccepted: true,
      }),
    ).toBe('locked');
  });
  it('keeps NDA documents shut while no NDA is published', () => {
    expect(
      decideGate({
        ...base,
        level: 'contacts_nda',
        grant: active,
        ndaPublished: false,
      }),
    ).toBe('nda_unavailable');
  });
});
