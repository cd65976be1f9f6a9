/**
 * Who may see a document, and the one name of each level, said the same way in the admin app, the public
 * site and mail. Kept free of zod so the admin app can import it at run time.
 */
export const ACCESS_LEVELS = ['public', 'contacts_nda', 'contacts', 'internal'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const ACCESS_LEVEL_LABELS: Record<AccessLevel, string> = {
  public: 'Public',
  contacts_nda: 'Approved contacts with NDA',
  contacts: 'Approved contacts',
  internal: 'Internal only',
};
