/** A database timestamp as the API's ISO string; absent stays null. */
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
