import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import type { Role, UserRow } from '../platform/db/schema.ts';
import { appError, notFound } from '../platform/errors.ts';
import { hashPassword } from './secrets.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';

export type PublicUser = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'created_at'>;
const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'created_at'] as const;

/**
 * Sign-in needs the account before the tenant is known. Emails are unique per tenant, so one email may have
 * accounts in several; with `workspace` (a tenant slug) the one in that tenant, else the oldest.
 */
export async function findUserForLogin(db: Db, email: string, workspace?: string) {
  let q = db
    .selectFrom('users')
    .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select([
      'users.id',
      'users.tenant_id',
      'users.email',
      'users.role',
      'users.password_hash',
      'tenants.slug as tenant_slug',
    ])
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email.toLowerCase()));
  if (workspace !== undefined) q = q.where('tenants.slug', '=', workspace.toLowerCase());
  return q.orderBy('users.created_at').orderBy('users.id').executeTakeFirst();
}

/**
 * Add a user to the current tenant. Emails are unique per tenant: an address used in another tenant is
 * answered exactly like a new one, so this endpoint reveals nothing about other tenants' users.
 */
export async function addUser(
  trx: Tx,
  tenantId: string,
  input: { email: string; name?: string; role: Role; password: string },
): Promise<PublicUser> {
  // RLS limits this lookup to the current tenant; the unique index catches a concurrent insert.
  const taken = await trx
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  if (taken) throw emailTaken();
  try {
    return await trx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        email: input.email,
        name: input.name ?? '',
        role: input.role,
        password_hash: await hashPassword(input.password),
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err, 'users_tenant_email_key')) throw emailTaken();
    throw err;
  }
}

const emailTaken = () => appError('email_taken', 'A user with this email already exists in this workspace.');

export async function listUsers(trx: Tx): Promise<PublicUser[]> {
  return trx.selectFrom('users').select(PUBLIC_COLUMNS).orderBy('created_at').execute();
}

export async function getUser(trx: Tx, id: string): Promise<PublicUser> {
  const user = await trx.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('User');
  return user;
}

/** Change a role; the last admin of a tenant cannot demote themselves out of existence. */
export async function changeUserRole(trx: Tx, id: string, role: Role): Promise<PublicUser> {
  const user = await getUser(trx, id);
  if (user.role === 'admin' && role !== 'admin') await ensureAnotherAdmin(trx, id);
  return trx
    .updateTable('users')
    .set({ role })
    .where('id', '=', id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function removeUser(trx: Tx, id: string): Promise<void> {
  const user = await getUser(trx, id);
  if (user.role === 'admin') await ensureAnotherAdmin(trx, id);
  await trx.deleteFrom('users').where('id', '=', id).execute();
}

async function ensureAnotherAdmin(trx: Tx, exceptId: string): Promise<void> {
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  if (!other) throw appError('last_admin', 'A workspace needs at least one admin.');
}
