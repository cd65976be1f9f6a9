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

/** Record an NDA signed while asking for documents (typed full name), before the requester is a contact. */
export async function recordRequestAcceptance(
  trx: Tx,
  tenantId: string,
  input: {
    id: string;
    accessRequestId: string;
    ndaVersionId: string;
    signatureName: string;
    ndaSha256: string;
    acceptedAt: Date;
    ip: string;
    userAgent: string;
    certificateKey: string;
    certificateSha256: string;
  },
): Promise<void> {
  await trx
    .insertInto('nda_acceptances')
    .values({
      id: input.id,
      tenant_id: tenantId,
      access_request_id: input.accessRequestId,
      nda_version_id: input.ndaVersionId,
      signature_name: input.signatureName,
      nda_sha256: input.ndaSha256,
      accepted_at: input.acceptedAt,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 500),
      certificate_key: input.certificateKey,
      certificate_sha256: input.certificateSha256,
    })
    .execute();
}

/**
 * Attach the acceptance signed with a request to the contact the request became. A contact who accepted the
 * same version before keeps that record; the request's acceptance then stays with the request.
 */
export async function attachRequestAcceptance(trx: Tx, accessRequestId: string, contactId: string): Promise<void> {
  await trx
    .updateTable('nda_acceptances as a')
    .set({ contact_id: contactId })
    .where('a.access_request_id', '=', accessRequestId)
    .where('a.contact_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('nda_acceptances as b')
            .select('b.id')
            .where('b.contact_id', '=', contactId)
            .whereRef('b.nda_version_id', '=', 'a.nda_version_id'),
        ),
      ),
    )
    .execute();
}

/** The stored certificate of one of the contact's acceptances. */
export async function findAcceptanceCertificate(trx: Tx, contactId: string, acceptanceId: string) {
  return trx
    .selectFrom('nda_acceptances as a')
    .innerJoin('nda_versions as v', 'v.id', 'a.nda_version_id')
    .select(['a.id', 'a.certificate_key', 'a.signature_name', 'v.version'])
    .where('a.id', '=', acceptanceId)
    .where('a.contact_id', '=', contactId)
    .where('a.certificate_key', 'is not', null)
    .executeTakeFirst();
}
