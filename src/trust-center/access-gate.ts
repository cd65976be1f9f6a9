import type { AccessLevel } from '../platform/db/schema.ts';

/** A contact's grant for one document, as stored. */
export interface GrantState {
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/**
 * What the public site does with a document for this caller:
 * - `hidden`: behave exactly like an unknown id (internal documents);
 * - `open`: show and serve it;
 * - `locked`: list it, offer "Request access";
 * - `nda_required`: the contact holds a grant but must accept the current NDA first;
 * - `nda_unavailable`: the document needs an NDA but the tenant has not published one, so it stays shut.
 */
export type Gate = 'hidden' | 'open' | 'locked' | 'nda_required' | 'nda_unavailable';

/** True when the grant exists, is not revoked and has not expired at `now`. */
export function grantIsActive(grant: GrantState | undefined, now: Date): boolean {
  return grant !== undefined && grant.revokedAt === null && (grant.expiresAt === null || grant.expiresAt > now);
}

/** Decide the gate for one document; `ndaAccepted` refers to the tenant's current NDA version only. */
export function decideGate(input: {
  level: AccessLevel;
  grant: GrantState | undefined;
  ndaPublished: boolean;
  ndaAccepted: boolean;
  now: Date;
}): Gate {
  switch (input.level) {
    case 'internal':
      return 'hidden';
    case 'public':
      return 'open';
    case 'contacts':
      return grantIsActive(input.grant, input.now) ? 'open' : 'locked';
    case 'contacts_nda':
      if (!grantIsActive(input.grant, input.now)) return 'locked';
      if (!input.ndaPublished) return 'nda_unavailable';
      return input.ndaAccepted ? 'open' : 'nda_required';
  }
}
