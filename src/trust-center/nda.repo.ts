import { sql } from 'kysely';
import type { Nda, NdaVersion } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';

type NdaRow = { id: string; version: number; body: string; created_at: Date };
const toVersion = (r: NdaRow): NdaVersion => ({
  id: r.id,
  version: r.version,
  body: r.body,
  createdAt: r.created_at.toISOString(),
});

/** The tenant's current (highest) NDA version, if one was ever published. */
export async function currentNda(trx: Tx): Promise<NdaRow | undefined> {
  return trx
    .selectFrom('nda_versions')
    .select(['id', 'version', 'body', 'created_at'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Current text and the version history with acceptance counts. */
export async function describeNda(trx: Tx): Promise<Nda> {
  const [current, versions] = await Promise.all([
    currentNda(trx),
    trx
      .selectFrom('nda_versions as v')
      .select([
        'v.id',
        'v.version',
        'v.created_at',
        sql<string>`(select count(*) from nda_acceptances a where a.nda_version_id = v.id)`.as('acceptances'),
      ])
      .orderBy('v.version', 'desc')
      .execute(),
  ]);
  return {
    current: current ? toVersion(current) : null,
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      createdAt: v.created_at.toISOString(),
      acceptances: Number(v.acceptances),
    })),
  };
}

/**
 * Publish a new NDA version. Concurrent publishes race on the (tenant, version) unique key and one fails
 * cleanly rather than two texts sharing a number.
 */
export async function publishNda(trx: Tx, tenantId: string, body: string, userId: string | null): Promise<NdaRow> {
  const current = await currentNda(trx);
  return trx
    .insertInto('nda_versions')
    .values({
      tenant_id: tenantId,
      version: (current?.version ?? 0) + 1,
      body,
      created_by: userId,
    })
    .returning(['id', 'version', 'body', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function hasAccepted(trx: Tx, contactId: string, ndaVersionId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('nda_acceptances')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('nda_version_id', '=', ndaVersionId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Record a click-through acceptance; accepting the same version twice keeps the first record. */
export async function recordAcceptance(
  trx: Tx,
  tenantId: string,
  input: {
    contactId: string;
    ndaVersionId: string;
    ip: string;
    userAgent: string;
  },
): Promise<void> {
  await trx
    .insertInto('nda_acceptances')
    .values({
      tenant_id: tenantId,
      contact_id: input.contactId,
      nda_version_id: input.ndaVersionId,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 500),
    })
    .onConflict((oc) => oc.columns(['contact_id', 'nda_version_id']).doNothing())
    .execute();
}
