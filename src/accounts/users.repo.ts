import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import type { Role, UserRow } from '../platform/db/schema.ts';
import { appError, notFound } from '../platform/errors.ts';
import { hashPassword } from './secrets.ts';

export type PublicUser = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'created_at'>;
const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'created_at'] as const;

/** Login needs the user before the tenant is known; emails are unique across tenants. */
export async function findUserForLogin(db: Db, email: string) {
  return db
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
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/** Add a user to the current tenant; an email already in use anywhere is a 409. */
export async function addUser(
  trx: Tx,
  tenantId: string,
  input: { email: string; name?: string; role: Role; password: string },
): Promise<PublicUser> {
  const taken = await emailTaken(trx, input.email);
  if (taken) throw appError('email_taken', 'A user with this email already exists.');
  return trx
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
}

/** Emails are unique across tenants but app_user only sees its own, so the check asks the database directly. */
async function emailTaken(trx: Tx, email: string): Promise<boolean> {
  const { rows } = await sql<{
    taken: boolean;
  }>`select app_email_taken(${email}) as taken`.execute(trx);
  return rows[0]?.taken ?? false;
}

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
